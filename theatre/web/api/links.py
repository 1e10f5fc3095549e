"""Share links of my finished films: make one, list them, revoke one."""
from datetime import timedelta

from ninja import Query, Router, Status

from theatre.services import sharing
from theatre.services.access import get_film_for, get_share_link_for
from theatre.web.api.pages import PageQuery, answers, paginate
from theatre.web.api.schemas import Id, ShareIn, ShareLinkOut, ShareLinkPage

router = Router(tags=["share links"])


def link_json(request, link):
    iso = lambda moment: moment.isoformat() if moment else None  # noqa: E731
    return {"id": link.pk, "url": request.build_absolute_uri(link.get_absolute_url()), "token": link.token,
            "active": link.is_active(), "created": iso(link.created), "expires_at": iso(link.expires_at),
            "revoked_at": iso(link.revoked_at), "view_count": link.view_count}


@router.get("/films/{int:film_id}/share/", response=answers({200: ShareLinkPage}, 404), url_name="film_share_list")
def list_links(request, film_id: Id, page: Query[PageQuery]):
    """My film's share links, newest first, revoked ones included."""
    film = get_film_for(request.user, film_id, may="own")
    return paginate(request, film.share_links.order_by("-created", "-pk"), "links", lambda l: link_json(request, l), page)


@router.post("/films/{int:film_id}/share/", response=answers({201: ShareLinkOut}, 404), url_name="film_share")
def make_link(request, film_id: Id, payload: ShareIn = None):
    """A new link to my finished film, for anyone who has it (logged out too)."""
    film = get_film_for(request.user, film_id, may="own")
    days = payload.expires_in_days if payload else None
    link = sharing.create_share_link(film, request.user, timedelta(days=days) if days else None)
    return Status(201, link_json(request, link))


@router.post("/films/{int:film_id}/share/{int:link_id}/revoke/", response=answers({200: ShareLinkOut}, 404),
             url_name="film_share_revoke")
def revoke_link(request, film_id: Id, link_id: Id):
    """Stops a link at once (revoking it again changes nothing)."""
    link = get_share_link_for(request.user, film_id, link_id)
    return link_json(request, sharing.revoke_share_link(link, request.user))
