"""Pagination of the API's lists: `limit` and `offset` in, `count`, `next` and `previous` out."""
from ninja import Schema
from pydantic import Field

from theatre.web.api.schemas import Error


class PageQuery(Schema):
    limit: int = Field(20, ge=1, le=100, description="How many items (1 to 100).")
    offset: int = Field(0, ge=0, le=1_000_000, description="How many to skip.")


def paginate(request, queryset, key, to_json, page):
    """One page of `queryset` as {"count", "next", "previous", key: [to_json(row), ...]}."""
    count = queryset.count()
    rows = queryset[page.offset: page.offset + page.limit]

    def link(offset):
        query = request.GET.copy()
        query["offset"], query["limit"] = offset, page.limit
        return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")

    return {
        "count": count,
        "next": link(page.offset + page.limit) if page.offset + page.limit < count else None,
        "previous": link(max(0, page.offset - page.limit)) if page.offset > 0 else None,
        key: [to_json(row) for row in rows],
    }


def answers(ok, *errors):
    """An operation's documented responses: its successes, and the error shape for 400 and 401
    (every endpoint takes a token and some input) and for the other `errors` it may give."""
    return {**ok, frozenset({400, 401, *errors}): Error}
