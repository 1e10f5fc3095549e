"""Share links, view counts and take-downs: how a finished film leaves its owner's hands, and how
the people in it keep control over it. Views, the API and the admin all call these functions."""
import hashlib
import re
import time

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext as _

from theatre.services.access import films_controlled_by
from theatre.models import Film, Notification, ShareLink, TakeDown

# The session remembers which films it has counted, so a reload or a seek is not a new view.
VIEWED_SESSION_KEY = "theatre_viewed_films"
# Tokens are secrets.token_urlsafe: anything else cannot be one, and is not even looked up (Postgres
# refuses a NUL byte in a query with an error, where SQLite just finds nothing).
TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{1,64}")


class SharingError(Exception):
    """A change that is not allowed; the message is for the person who asked for it."""


def renderer_name(backend, model=""):
    """Human name of the renderer that made a film ("" when it is not known yet), with the model
    it recorded when that says more than the name (the weights' repository, a tiny test fake)."""
    names = {"preview": _("the CPU preview renderer"), "wan": "Wan2.1-VACE", "h3": "MiniMax-H3",
             "tiny-h3": _("the tiny MiniMax-H3 test generator"), "tiny": _("the tiny Wan test generator")}
    name = names.get(backend, backend)
    return f"{name} ({model})" if model and backend in ("h3", "wan", "tiny-h3") and model != name else name


def sound_source(sound):
    """Whose a film's sound is, in words ("" for films rendered before this was recorded)."""
    return {"model": _("Sound and voices made by the model, with the picture."),
            "synthetic": _("Voices synthesised by this site's text-to-speech."),
            "none": ""}.get(sound, "")


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


def films_with_active_links(films):
    """The ids of those of `films` (a queryset) that have a share link working right now."""
    return set(ShareLink.objects.active().filter(film__in=films).values_list("film_id", flat=True))


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


def active_link_ids(token):
    """(film id, link id) if the link works right now, else None: all a logged-out visit needs
    before its cached page. The answer is kept for SHARED_LINK_CHECK_SECONDS, so a link gone viral
    costs no database query per visit. Every change that can stop a link made through Django
    (revoke, take-down, a re-render, deletion; from the site, the admin or a job) forgets the
    answer at once (the receivers below); a change behind Django's back (raw SQL, a queryset
    update of those columns) shows within those seconds. Expiry is checked on every visit."""
    if not token or not TOKEN_SHAPE.fullmatch(token):
        return None
    key, now = _state_key(token), time.time()
    state = cache.get(key)
    if state is None:
        link = active_link(token)
        if link is None:
            return None  # not remembered: an unknown token is not worth a cache entry
        expires = link.expires_at.timestamp() if link.expires_at else None
        state = (link.film_id, link.pk, expires)
        cache.set(key, state, min(settings.SHARED_LINK_CHECK_SECONDS, expires - now if expires else float("inf")))
    film_id, link_id, expires = state
    if expires is not None and expires <= now:
        return None
    return film_id, link_id


def _state_key(token):
    # Hashed: the token is the link's secret, and Redis need not learn it.
    return "link-state:" + hashlib.sha256(token.encode()).hexdigest()[:32]


def forget_links(tokens):
    """Drops the remembered answers of active_link_ids for these tokens, now and again when the
    transaction commits (a visit between the two could remember the old state)."""
    keys = [_state_key(token) for token in tokens]
    if keys:
        cache.delete_many(keys)
        transaction.on_commit(lambda: cache.delete_many(keys))


@receiver([post_save, post_delete], sender=ShareLink)
def _link_changed(sender, instance, **kwargs):
    forget_links([instance.token])


@receiver(post_save, sender=Film)
def _film_changed(sender, instance, created=False, update_fields=None, **kwargs):
    # Only the columns is_shareable reads; progress saves during a render and new films (no links
    # yet) cost nothing here. A deleted film deletes its links, and each link's post_delete
    # forgets itself.
    if not created and (update_fields is None or {"status", "taken_down"} & set(update_fields)):
        forget_links(ShareLink.objects.filter(film_id=instance.pk).values_list("token", flat=True))


def record_view(film_id, link_id=None, session=None, visitor=None):
    """Counts one view of the film (and of the link it came through), once per session per film,
    or, for a logged-out visitor (who gets no session, so a link opened in a chat app costs no
    database write), once a day per visitor key in the cache. F() makes the increment atomic.
    True when the view was counted: a page showing a film loaded before adds one itself, so it
    shows the count with this view in it (viewers arriving at the same moment may each see one
    short of the other's, which is not worth a query on every visit)."""
    if visitor is not None:
        if not cache.add(f"viewed:{film_id}:{visitor}", 1, timeout=86400):
            return False
    elif session is not None:
        viewed = session.get(VIEWED_SESSION_KEY, [])
        if film_id in viewed:
            return False
        # Keep the list short: the oldest films drop out, at worst counting a second view years later.
        session[VIEWED_SESSION_KEY] = (viewed + [film_id])[-500:]
    with transaction.atomic():
        Film.objects.filter(pk=film_id).update(view_count=F("view_count") + 1)
        if link_id is not None:
            ShareLink.objects.filter(pk=link_id).update(view_count=F("view_count") + 1)
    return True


def may_take_down(film, user):
    """The film's owner, and the owner of any avatar in its cast."""
    if user.is_authenticated and film.owner_id == user.pk:
        return True
    return films_controlled_by(user).filter(pk=film.pk).exists()


def take_down(film, user, reason=None):
    """Hides the film from everyone but its owner (and the people in it): friends and share links
    stop working. Each person's take-down is a TakeDown row that holds until that same person
    lifts it (restore), whoever else restores theirs: the consent of everyone in a film counts.
    The film's owner is told who took it down."""
    if not may_take_down(film, user):
        raise SharingError(_("Only the owner of the film or of an avatar in it can do that."))
    if reason is None:
        reason = TakeDown.Reason.OWNER if film.owner_id == user.pk else TakeDown.Reason.IN_CAST
    with transaction.atomic():
        _lock(film)
        _record, created = TakeDown.objects.get_or_create(film=film, by=user, defaults={"reason": reason})
        _mirror(film)
        if created and film.owner_id != user.pk:
            _tell_owner(film, _("%(name)s took down your film “%(title)s” because their avatar is in it."), user)
    return film


def restore(film, user):
    """Lifts this person's own take-down (and any made before take-downs were recorded). The film
    comes back only when no one else's take-down holds: the film's owner cannot lift the take-down
    of someone in the film, nor one person another's."""
    if not may_take_down(film, user):
        raise SharingError(_("Only the owner of the film or of an avatar in it can do that."))
    with transaction.atomic():
        _lock(film)
        lifted, _count = film.take_downs.filter(Q(by=user) | Q(by__isnull=True, reason=TakeDown.Reason.EARLIER)).delete()
        others = list(film.take_downs.select_related("by__profile"))
        if not lifted and others:
            raise SharingError(_("%(names)s took this film down; only they can restore it.") % {"names": _names(others)})
        _mirror(film)
        if lifted and film.owner_id != user.pk:
            if others:
                _tell_owner(film, _("%(name)s lifted their take-down of your film “%(title)s”; it stays down until "
                                    "everyone who took it down restores it."), user)
            else:
                _tell_owner(film, _("%(name)s restored your film “%(title)s”."), user)
    return film


def took_down(film, user):
    """Whether this person's own take-down of the film holds (their button then says Restore)."""
    return user.is_authenticated and _takedowns_by(user).filter(film=film).exists()


def with_my_take_down(films, user):
    """The films, each with `my_take_down`: took_down for a whole list in one query."""
    return films.annotate(my_take_down=Exists(_takedowns_by(user).filter(film=OuterRef("pk"))))


def _takedowns_by(user):
    return TakeDown.objects.filter(by=user)


def _lock(film):
    # One change of a film's take-downs at a time, so the mirror below cannot miss a concurrent one;
    # and the flag as stored now, not as this copy of the film last saw it.
    film.taken_down = Film.objects.select_for_update().filter(pk=film.pk).values_list("taken_down", flat=True).first()


def _mirror(film):
    # Film.taken_down is what every access query reads; it follows the rows, in the same transaction.
    down = film.take_downs.exists()
    if film.taken_down != down:
        film.taken_down = down
        film.save(update_fields=["taken_down"])


def _names(take_downs):
    return ", ".join(_display_name(t.by) if t.by else _("someone") for t in take_downs)


def _display_name(user):
    return user.profile.display_name if hasattr(user, "profile") else user.get_username()


def _tell_owner(film, text, user):
    text = text % {"name": _display_name(user), "title": film.title}
    Notification.objects.create(user_id=film.owner_id, text=text[:300], url=film.get_absolute_url())


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


def opened_links(session):
    """The share tokens this browser opened (remember_link), newest last."""
    return session.get("share_tokens", [])
