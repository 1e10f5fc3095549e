"""Watching films: the watch page, the shared page behind a token, my films, films featuring my
avatars, and the owner's share links and the take-down buttons."""
import json
import mimetypes
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from theatre.web import page_cache
from theatre.services import sharing
from theatre.models import Film
from theatre.services.access import films_featuring, films_owned_by, get_film_for, get_share_link_for, visible_avatars
from theatre.services.casting import remix_chain
from theatre.web.forms import ShareLinkForm


def film(request, film_id):
    if not request.user.is_authenticated:
        # Same answer for every id, so a logged-out visitor learns nothing about which films exist.
        return redirect_to_login(request.get_full_path())
    film = get_film_for(request.user, film_id, related=["owner__profile"])
    is_owner = film.owner_id == request.user.pk
    if film.status == Film.Status.DONE and not is_owner and sharing.record_view(film.pk, session=request.session):
        film.view_count += 1
    context = _watch_context(request, film, link=None)
    context.update(
        is_owner=is_owner,
        may_take_down=sharing.may_take_down(film, request.user),
        my_take_down=not is_owner and sharing.took_down(film, request.user),  # the owner's page has no button
        share_form=ShareLinkForm() if is_owner else None,
        share_links=film.share_links.order_by("-created") if is_owner else (),
        progress_words=json.dumps(_progress_words(), ensure_ascii=False),
    )
    return render(request, "theatre/film.html", context)


def shared(request, token):
    if not request.user.is_authenticated:
        return _shared_with_visitor(request, token)
    link = sharing.active_link(token)
    if link is None:
        return link_gone(request)
    film = link.film
    if film.owner_id != request.user.pk:
        sharing.remember_link(request.session, token)
        if sharing.record_view(film.pk, link.pk, session=request.session):
            film.view_count += 1
    return render(request, "theatre/film.html", _watch_context(request, film, link=link))


def _shared_with_visitor(request, token):
    """A logged-out visitor, as from a chat app's preview: the page a link gone viral serves to
    everyone. A visit served from the cache makes no database query: the link's "still works"
    comes from sharing.active_link_ids, the view is counted in the cache (and the database only
    for a new visitor), the page comes from page_cache."""
    ids = sharing.active_link_ids(token)
    if ids is None:
        return link_gone(request)
    film_id, link_id = ids
    sharing.record_view(film_id, link_id, visitor=sharing.visitor_key(request))

    def make_context():
        # The rows behind the page, checked again: the page must never be rendered from a link
        # that stopped since its answer was remembered.
        link = sharing.active_link(token)
        if link is None:
            raise Http404
        return _watch_context(request, link.film, link=link)

    try:
        return page_cache.same_for_every_visitor(request, f"shared:{token}", "theatre/film.html", make_context)
    except Http404:
        return link_gone(request)  # the same page as for any stopped link


def link_gone(request):
    # One page and one status for unknown, revoked and expired links: no hint that one ever existed.
    return render(request, "theatre/link_gone.html", status=404)


@require_POST
@login_required
def create_share_link(request, film_id):
    film = get_film_for(request.user, film_id, may="own")
    form = ShareLinkForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect(film)
    days = form.cleaned_data["expires_in_days"]
    try:
        sharing.create_share_link(film, request.user, timedelta(days=days) if days else None)
    except sharing.SharingError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Share link made. Copy it and send it to anyone."))
    return redirect(film)


@require_POST
@login_required
def revoke_share_link(request, film_id, link_id):
    link = get_share_link_for(request.user, film_id, link_id)
    sharing.revoke_share_link(link, request.user)
    messages.success(request, _("Link revoked: it no longer works."))
    return redirect(link.film)


@require_POST
@login_required
def take_down(request, film_id):
    return _take_down_or_restore(request, film_id, sharing.take_down, _("Film taken down. Only its owner and the people in it can see it now."))


@require_POST
@login_required
def restore(request, film_id):
    return _take_down_or_restore(request, film_id, sharing.restore, _("Film restored."))


def _take_down_or_restore(request, film_id, change, done_message):
    film = get_film_for(request.user, film_id, may="take_down")
    try:
        change(film, request.user)
    except sharing.SharingError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, done_message)
    return redirect("theatre:featuring" if film.owner_id != request.user.pk else "theatre:films")


@login_required
def my_films(request):
    films = list(films_owned_by(request.user).select_related("owner__profile"))
    shared_ids = sharing.films_with_active_links(films_owned_by(request.user))
    by_status = {status: [f for f in films if f.status == status] for status in Film.Status.values}
    sections = [
        ("drafts", _("Drafts"), by_status["draft"], _("No drafts. Pick a template to start a film.")),
        ("rendering", _("Rendering"), by_status["queued"] + by_status["rendering"], _("Nothing rendering. A film you send to render shows here with its progress.")),
        ("done", _("Ready"), by_status["done"], _("No finished films yet. When a render is done, the film shows here.")),
        ("failed", _("Failed"), by_status["failed"], _("No failed renders.")),
        ("shared", _("Shared"), [f for f in films if f.pk in shared_ids], _("Nothing shared yet. Open a finished film and make a share link.")),
    ]
    return render(request, "theatre/films.html", {"sections": sections})


@login_required
def featuring(request):
    films = sharing.with_my_take_down(films_featuring(request.user).select_related("owner__profile"), request.user)
    return render(request, "theatre/featuring.html", {"films": films})


def _progress_words():
    """The live progress bar's words, in the page's language."""
    return {
        "queued": _("Waiting in the queue"), "starting": _("Starting"), "voices": _("Recording the voices"),
        "shot": _("Filming"), "assembling": _("Putting the film together"), "done": _("Ready"), "failed": _("Failed"),
        "shot_label": _("shot"), "step_label": _("step"), "position_label": _("place in queue"),
    }


def _watch_context(request, film, link):
    """What the watch page and the shared page show. File URLs go under the token for a share-link
    visitor (so they work logged out) and under the film id otherwise (so no token leaks)."""
    if link is not None:
        base = reverse("theatre:shared", args=[link.token])
        files = {kind: reverse(f"theatre:shared_{kind}", args=[link.token]) for kind in ("video", "poster", "download")}
    else:
        base = reverse("theatre:film", args=[film.pk])
        files = {kind: reverse(f"theatre:film_{kind}", args=[film.pk]) for kind in ("video", "poster", "download")}
    site = settings.SITE_URL.rstrip("/")
    size = _poster_size(film)
    return {
        "film": film,
        "link": link,
        "files": files,
        "page_url": site + base,
        "video_url": site + files["video"],
        "poster_url": site + files["poster"],
        "size": size,
        "poster_type": mimetypes.guess_type(film.poster.name)[0] if film.poster else None,
        "renderer": sharing.renderer_name(film.backend, film.model),
        "sound_source": sharing.sound_source(film.sound),
        "cast": _cast(request.user, film),
        "remixed_from": remix_chain(film, request.user),
        "swap_next": request.get_full_path(),
    }


def _poster_size(film):
    # The poster is a full-size frame of the film, so its size is the video's size too. Reading it
    # means opening the image (a network fetch on S3), so the answer is cached under the file's
    # name: a new render stores a new poster under a new name.
    if not film.poster:
        return None
    key = f"poster-size:{film.poster.name}"
    size = cache.get(key)
    if size is None:
        try:
            size = {"width": film.poster.width, "height": film.poster.height}
        except (OSError, ValueError):
            return None
        cache.set(key, size, 24 * 3600)
    return size


def _cast(user, film):
    members = list(film.cast.select_related("role", "avatar__owner__profile").order_by("role__order", "role__pk"))
    # Stock avatars have no owner to show and a viewer's own avatars are always visible; only
    # someone else's avatar needs the permission query (a logged-out visitor sees none of those).
    others = [m.avatar_id for m in members if m.avatar.owner_id not in (None, user.pk)]
    visible = set()
    if others and user.is_authenticated:
        visible = set(visible_avatars(user).filter(pk__in=others).values_list("pk", flat=True))
    return [
        {"role": m.role, "avatar": m.avatar, "show_owner": m.avatar.owner_id is not None and (m.avatar.owner_id == user.pk or m.avatar_id in visible)}
        for m in members
    ]
