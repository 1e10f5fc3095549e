"""Share links, view counts and take-downs: how a finished film leaves its owner's hands, and how
the people in it keep control over it. Views, the API and the admin all call these functions."""
import hashlib
import re

from django.core.cache import cache
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from .access import films_controlled_by
from .models import Film, Notification, ShareLink

# The session remembers which films it has counted, so a reload or a seek is not a new view.
VIEWED_SESSION_KEY = "theatre_viewed_films"
# Tokens are secrets.token_urlsafe: anything else cannot be one, and is not even looked up (Postgres
# refuses a NUL byte in a query with an error, where SQLite just finds nothing).
TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{1,64}")


class SharingError(Exception):
    """A change that is not allowed; the message is for the person who asked for it."""


def renderer_name(backend):
    """Human name of the renderer that made a film ("" when it is not known yet)."""
    names = {"preview": _("the CPU preview renderer"), "wan": "Wan2.1-VACE"}
    return names.get(backend, backend)


def is_shareable(film):
    return film.status == Film.Status.DONE and not film.taken_down


def create_share_link(film, user, expires_in=None):
    """A new link to the film for anyone who has it. `expires_in` is a timedelta or None (never)."""
    if film.owner_id != user.pk:
        raise SharingError(_("Only the film's owner can share it."))
    if not is_shareable(film):
        raise SharingError(_("Only a finished film that is not taken down can be shared."))
    expires_at = timezone.now() + expires_in if expires_in else None
    return ShareLink.objects.create(film=film, expires_at=expires_at)


def revoke_share_link(link, user):
    if link.film.owner_id != user.pk:
        raise SharingError(_("Only the film's owner can revoke its links."))
    if link.revoked_at is None:
        link.revoked_at = timezone.now()
        link.save(update_fields=["revoked_at"])
    return link


def active_link(token):
    """The link for this token if it works right now, else None. Unknown, revoked and expired
    tokens, and links to films taken down, all look the same to the visitor."""
    if not token or not TOKEN_SHAPE.fullmatch(token):
        return None
    # Asked on every visit, even when the page itself comes from the cache: one plain join (the
    # owner and profile are loaded only if the page is rendered), and no ORDER BY (tokens are unique).
    try:
        link = ShareLink.objects.select_related("film").get(token=token)
    except ShareLink.DoesNotExist:
        return None
    if not link.is_active() or not is_shareable(link.film):
        return None
    return link


def record_view(film, link=None, session=None, visitor=None):
    """Counts one view of the film (and of the link it came through), once per session per film,
    or, for a logged-out visitor (who gets no session, so a link opened in a chat app costs no
    database write), once a day per visitor key in the cache. F() makes the increment atomic."""
    if visitor is not None:
        if not cache.add(f"viewed:{film.pk}:{visitor}", 1, timeout=86400):
            return False
    elif session is not None:
        viewed = session.get(VIEWED_SESSION_KEY, [])
        if film.pk in viewed:
            return False
        # Keep the list short: the oldest films drop out, at worst counting a second view years later.
        session[VIEWED_SESSION_KEY] = (viewed + [film.pk])[-500:]
    with transaction.atomic():
        Film.objects.filter(pk=film.pk).update(view_count=F("view_count") + 1)
        if link is not None:
            ShareLink.objects.filter(pk=link.pk).update(view_count=F("view_count") + 1)
    # The page shows the count with this view in it; viewers arriving at the same moment may each
    # see a count one short of the other's, which is not worth a query on every visit.
    film.view_count += 1
    return True


def may_take_down(film, user):
    """The film's owner, and the owner of any avatar in its cast."""
    if user.is_authenticated and film.owner_id == user.pk:
        return True
    return films_controlled_by(user).filter(pk=film.pk).exists()


def take_down(film, user):
    """Hides the film from everyone but its owner (and the people in it): friends and share links
    stop working until it is restored. The film's owner is told who took it down."""
    return _set_taken_down(film, user, True)


def restore(film, user):
    return _set_taken_down(film, user, False)


def _set_taken_down(film, user, taken_down):
    if not may_take_down(film, user):
        raise SharingError(_("Only the owner of the film or of an avatar in it can do that."))
    if film.taken_down == taken_down:
        return film
    film.taken_down = taken_down
    with transaction.atomic():
        film.save(update_fields=["taken_down"])
        if film.owner_id != user.pk:
            name = user.profile.display_name if hasattr(user, "profile") else user.get_username()
            if taken_down:
                text = _("%(name)s took down your film “%(title)s” because their avatar is in it.")
            else:
                text = _("%(name)s restored your film “%(title)s”.")
            text = text % {"name": name, "title": film.title}
            Notification.objects.create(user_id=film.owner_id, text=text[:300], url=film.get_absolute_url())
    return film


def remember_link(session, token):
    """Remembers share links this browser opened, so 'swap me in' works on a film seen that way."""
    tokens = session.get("share_tokens", [])
    if tokens[-1:] == [token]:
        return  # a reload: leave the session unmodified, so it is not written again
    tokens = [t for t in tokens if t != token]
    session["share_tokens"] = (tokens + [token])[-20:]


def visitor_key(request):
    """A short, anonymous key for a logged-out visitor: a hash, so no address is stored."""
    raw = f"{request.META.get('REMOTE_ADDR', '')}|{request.headers.get('User-Agent', '')}"
    return hashlib.sha256(raw.encode()).hexdigest()[:20]


def film_opened_through_link(session, film_id, token=None):
    for token in ([token] if token else []) + session.get("share_tokens", []):
        link = active_link(token)
        if link and link.film_id == film_id:
            return link.film
    return None
