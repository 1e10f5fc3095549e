"""Films: start one from a template or a free-form prompt, list mine and those featuring my
avatars, read one, set its webhook, cast it, render, cancel and retry, swap into one I may see
(also through a share link), take one down or restore it, and fetch its video."""
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from pydantic import Field

from theatre.services import casting, sharing, webhooks
from theatre.services.access import films_featuring, films_owned_by, get_film_for, get_shared_film, get_template_for
from theatre.services.film_json import film_json
from theatre.web.api.core import Conflict, SiteRateLimit
from theatre.web.api.pages import PageQuery, answers, paginate
from theatre.web.api.schemas import (
    CastIn, FilmChange, FilmFromPrompt, FilmFromTemplate, FilmOut, FilmPage, FilmStatus, Id, SwapIn, Text,
)
from theatre.web.ranges import serve_file

router = Router(tags=["films"])
RENDER_LIMIT = [SiteRateLimit("render")]


def as_json(request, film):
    return film_json(film, request.build_absolute_uri("/"), request.user, with_secret=True)


def _film(request, film_id, may="own"):
    return get_film_for(request.user, film_id, may=may, related=["script"])


def _visible_film(request, film_id):
    """A film the user may watch, or one with their avatar in it (which they may take down)."""
    try:
        return _film(request, film_id, may="watch")
    except Http404:
        return _film(request, film_id, may="take_down")


def _checked_webhook(url):
    # Resolved before any transaction opens: a slow DNS answer must not hold the database's lock.
    if url:
        webhooks.checked_target(url)
    return url


def _finish(request, film, webhook_url, render):
    """The last steps of making a film, inside the caller's transaction: set its webhook, queue
    its render. Any refusal rolls the whole request back, so a refused request leaves no film."""
    if webhook_url:
        webhooks.set_webhook(film, request.user, webhook_url, verified=True)
    if render:
        casting.request_render(film, request.user)
    film.refresh_from_db()
    return Status(201, as_json(request, film))


class FilmsQuery(PageQuery):
    status: FilmStatus | None = Field(None, description="Only films in this state.")


@router.get("/films/", response=answers({200: FilmPage}), url_name="films_list")
def list_films(request, query: Query[FilmsQuery]):
    """My films, newest first."""
    films = films_owned_by(request.user).select_related("script")
    if query.status:
        films = films.filter(status=query.status)
    return paginate(request, films, "films", lambda film: as_json(request, film), query)


@router.get("/films/featuring-me/", response=answers({200: FilmPage}), url_name="films_featuring")
def list_films_featuring_me(request, page: Query[PageQuery]):
    """Films other people made with one of my avatars: I may take each down."""
    films = films_featuring(request.user).select_related("script")
    return paginate(request, films, "films", lambda film: as_json(request, film), page)


@router.post("/films/", response=answers({201: FilmOut}, 404, 429), url_name="films", throttle=RENDER_LIMIT)
def create_film(request, payload: FilmFromTemplate):
    """A film from a gallery template, cast role by role (roles left out keep their stock
    character), rendered at once unless `render` is false."""
    template = get_template_for(request.user, payload.template)
    webhook_url = _checked_webhook(payload.webhook_url)
    with transaction.atomic():
        film = casting.start_film(request.user, template)
        casting.cast_roles(film, request.user, payload.cast)
        return _finish(request, film, webhook_url, payload.render)


@router.post("/films/from-prompt/", response=answers({201: FilmOut}, 429), url_name="films_from_prompt",
             throttle=RENDER_LIMIT)
def create_film_from_prompt(request, payload: FilmFromPrompt):
    """A film from one free-form prompt, Chinese or English, as the site's "Film from a prompt":
    the same shot markers, @mentions and parse errors (`code` says which: unknown_mention,
    too_many_shots, too_long, empty_shot, no_shots)."""
    webhook_url = _checked_webhook(payload.webhook_url)
    with transaction.atomic():
        film = casting.start_film_from_prompt(request.user, payload.prompt, mentions=payload.cast)
        return _finish(request, film, webhook_url, payload.render)


@router.get("/films/{int:film_id}/", response=answers({200: FilmOut}, 404), url_name="film")
def get_film(request, film_id: Id):
    """A film I may see: its status (poll it while it renders), script outline and cast."""
    return as_json(request, _visible_film(request, film_id))


@router.patch("/films/{int:film_id}/", response=answers({200: FilmOut}, 404), url_name="film_change")
def change_film(request, film_id: Id, payload: FilmChange):
    """Sets or clears my film's completion webhook (a new URL gets a new secret)."""
    film = _film(request, film_id)
    if "webhook_url" in payload.model_fields_set:
        webhooks.set_webhook(film, request.user, payload.webhook_url or "")
    return as_json(request, film)


@router.post("/films/{int:film_id}/cast/", response=answers({200: FilmOut}, 404), url_name="film_cast")
def cast_film(request, film_id: Id, payload: CastIn):
    """Puts avatars in roles of my draft (or failed) film; all of them or, on a refusal, none."""
    film = _film(request, film_id)
    with transaction.atomic():
        casting.cast_roles(film, request.user, payload.cast)
    return as_json(request, film)


@router.post("/films/{int:film_id}/render/", response=answers({200: FilmOut, 202: FilmOut}, 404, 409, 429),
             url_name="film_render", throttle=RENDER_LIMIT)
def render_film(request, film_id: Id):
    """Queues my film's render (202); 200 when it is already queued or rendering. Every role must
    be cast and the script valid; the site's caps apply (429 with the reason)."""
    film = _film(request, film_id)
    if film.status == film.Status.DONE:
        raise Conflict(_("This film is already rendered. Swap into it or start a new one to make another."))
    queued = casting.request_render(film, request.user)
    return Status(202 if queued else 200, as_json(request, film))


@router.post("/films/{int:film_id}/retry/", response=answers({202: FilmOut}, 404, 409, 429), url_name="film_retry",
             throttle=RENDER_LIMIT)
def retry_film(request, film_id: Id):
    """Renders my failed film again (it counts as a render for the caps)."""
    film = _film(request, film_id)
    if film.status != film.Status.FAILED:
        raise Conflict(_("Only a failed film can be retried; this one is %(status)s.") % {"status": film.get_status_display()})
    casting.request_render(film, request.user)
    return Status(202, as_json(request, film))


@router.post("/films/{int:film_id}/cancel/", response=answers({200: FilmOut}, 404, 409), url_name="film_cancel")
def cancel_film(request, film_id: Id):
    """Stops my film's render, back to a draft (nothing to do for a draft): a queued film leaves
    the queue, a rendering one stops within its current step. A finished or failed film answers 409."""
    film = _film(request, film_id)
    if film.status in (film.Status.DONE, film.Status.FAILED):
        raise Conflict(_("Only a queued or rendering film can be cancelled; this one is %(status)s.") % {"status": film.get_status_display()})
    try:
        casting.cancel_render(film, request.user)
    except casting.CastingError as error:
        raise Conflict(error) from error
    return as_json(request, film)


@router.post("/films/{int:film_id}/swap/", response=answers({201: FilmOut}, 404, 429), url_name="film_swap",
             throttle=RENDER_LIMIT)
def swap_into_film(request, film_id: Id, payload: SwapIn):
    """"Swap me in": a remix of a film I may see (or one opened through `share_token`) with my
    avatar in one role, keeping script, seed and the rest of the cast. It renders at once when
    every role is cast, unless `render` is false."""
    tokens = [payload.share_token] if payload.share_token else []
    film = get_film_for(request.user, film_id, may="remix", related=["script"], share_tokens=tokens)
    webhook_url = _checked_webhook(payload.webhook_url)
    with transaction.atomic():
        remix = casting.swap_me_in(film, request.user, payload.role, payload.avatar)
        return _finish(request, remix, webhook_url, payload.render and not casting.uncast_roles(remix))


@router.post("/films/{int:film_id}/take-down/", response=answers({200: FilmOut}, 404), url_name="film_take_down")
def take_down_film(request, film_id: Id):
    """Hides a film from everyone but its owner and the people in it: for my own films and any
    film with one of my avatars. Its share links stop working. My take-down holds until I restore
    it, whatever anyone else does."""
    film = _film(request, film_id, may="take_down")
    sharing.take_down(film, request.user)
    return as_json(request, film)


@router.post("/films/{int:film_id}/restore/", response=answers({200: FilmOut}, 404), url_name="film_restore")
def restore_film(request, film_id: Id):
    """Lifts my take-down. The film comes back once no one else's take-down holds; 400 when only
    others took it down (the film's owner cannot undo the take-down of someone in it)."""
    film = _film(request, film_id, may="take_down")
    sharing.restore(film, request.user)
    return as_json(request, film)


VIDEO = {200: {"description": "The MP4 (byte ranges supported).",
               "content": {"video/mp4": {"schema": {"type": "string", "format": "binary"}}}}}


@router.get("/films/{int:film_id}/video/", response=answers({}, 404), url_name="film_video",
            openapi_extra={"responses": VIDEO})
def film_video(request, film_id: Id):
    """The finished film's video, for a film I may see."""
    film = _visible_film(request, film_id)
    if not film.video:
        raise Http404
    return serve_file(request, film.video, content_type="video/mp4")


@router.get("/shared/{token}/", response=answers({200: FilmOut}, 404), url_name="shared_film")
def get_shared(request, token: Text(64, 1)):
    """The film behind a share link that works, to swap into it (POST /films/{id}/swap/ with the
    same share_token)."""
    return as_json(request, get_shared_film(token))
