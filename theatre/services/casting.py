"""Casting: starting a film from a template or a prompt, putting avatars in roles, asking for a
render, and the one-click role swap. Views, jobs, the API and the admin all call these."""
import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from theatre.services.access import castable_avatars, visible_films
from theatre.models import CastMember, Film


class CastingError(Exception):
    """A casting step that cannot be done; the message is for the person who tried."""


class RenderLimitReached(CastingError):
    """The owner has too many renders running, or has used up today's renders."""


def new_seed():
    return secrets.randbelow(2**31)


@transaction.atomic
def start_film(owner, script, *, title=None, seed=None, remixed_from=None):
    """A new draft film owning a copy of the script, cast with the roles' default characters."""
    from theatre.services.scripts import copy_script

    own_script = copy_script(script, owner)
    film = Film.objects.create(
        owner=owner, script=own_script, title=title or script.title,
        seed=new_seed() if seed is None else seed, remixed_from=remixed_from,
    )
    allowed = castable_avatars(owner)
    for role in own_script.roles.all():
        if role.default_avatar_id and allowed.filter(pk=role.default_avatar_id).exists():
            CastMember.objects.create(film=film, role=role, avatar_id=role.default_avatar_id)
    return film


def _editable(film, user):
    if film.owner_id != user.pk:
        raise CastingError(_("Only the film's owner can change its cast."))
    if film.status not in (Film.Status.DRAFT, Film.Status.FAILED):
        raise CastingError(_("The cast of a film cannot change once it is rendering or rendered; remix it instead."))


@transaction.atomic
def start_film_from_prompt(owner, prompt, mentions=None):
    """A new draft film from a free-form prompt (ScriptError when it cannot be parsed). A mention
    of an avatar the owner may cast becomes the role it plays, already cast. `mentions` binds more
    names to avatars ({"卡尔": avatar id}, as the API takes them): each must be castable by the
    owner (CastingError otherwise), and wins over an avatar of the same name."""
    from theatre.script.parser import parse_prompt
    from theatre.services.scripts import create_script_from_parsed

    allowed = castable_avatars(owner)
    # Role keys must be slugs; the mentioned avatar's id makes one.
    castable = {f"cast-{avatar.pk}": avatar for avatar in allowed}
    known = {avatar.name: key for key, avatar in castable.items()}
    for name, avatar_id in (mentions or {}).items():
        avatar = allowed.filter(pk=avatar_id).first()
        if avatar is None:
            raise CastingError(_("You may not cast that avatar (for @%(name)s). Ask its owner first.") % {"name": name})
        castable[f"cast-{avatar.pk}"] = avatar
        known[str(name).lstrip("@")] = f"cast-{avatar.pk}"
    parsed = parse_prompt(prompt, known_mentions=known)
    script = create_script_from_parsed(owner, parsed)
    film = Film.objects.create(owner=owner, script=script, title=script.title, seed=new_seed())
    by_name = {name.casefold(): castable[key] for name, key in known.items()}
    cast = {}
    for role in script.roles.all():
        avatar = castable.get(role.key) or by_name.get(role.name.casefold())
        if avatar is not None:
            cast[role.key] = avatar.pk
    cast_roles(film, owner, cast)
    return film


def cast_roles(film, user, cast):
    """Casts each role key -> avatar id of `cast`, in order; the first refusal raises CastingError."""
    for role_key, avatar_id in cast.items():
        cast_role(film, user, role_key, avatar_id)


@transaction.atomic
def cast_role(film, user, role_key, avatar_id):
    """Puts an avatar in a role, if the user may cast it and the role accepts its kind."""
    _editable(film, user)
    role, avatar = _role_and_avatar(film, user, role_key, avatar_id, _("You may not cast that avatar. Ask its owner first."))
    CastMember.objects.update_or_create(film=film, role=role, defaults={"avatar": avatar})
    return avatar


def _role_and_avatar(film, user, role_key, avatar_id, not_castable_message):
    """The film's role and an avatar the user may cast in it, or a CastingError saying why not."""
    role = film.script.roles.filter(key=role_key).first()
    if role is None:
        raise CastingError(_("This film has no role called %(role)s.") % {"role": role_key})
    avatar = castable_avatars(user).filter(pk=avatar_id).first()
    if avatar is None:
        raise CastingError(not_castable_message)
    if not role.accepts(avatar):
        raise CastingError(_("%(role)s must be played by a %(kinds)s.") % {
            "role": role.name, "kinds": " / ".join(_(k) for k in role.kinds)})
    return role, avatar


def uncast_roles(film):
    """Roles of the script that have no avatar yet."""
    cast = set(film.cast.values_list("role_id", flat=True))
    return [role for role in film.script.roles.all() if role.pk not in cast]


def check_cast(film):
    """Raises when a role is empty, or an avatar may no longer be cast (consent revoked)."""
    missing = uncast_roles(film)
    if missing:
        raise CastingError(_("Cast every role first: %(roles)s has no avatar.") % {"roles": ", ".join(r.name for r in missing)})
    allowed = castable_avatars(film.owner)
    for member in film.cast.select_related("avatar", "role"):
        if not allowed.filter(pk=member.avatar_id).exists():
            raise CastingError(_("%(avatar)s may no longer be cast (its owner's permission changed). Pick someone else for %(role)s.") % {
                "avatar": member.avatar.name, "role": member.role.name})


def speaking_stars_notice(film):
    """When this site's generator makes the film's sound and copies voices from at most three clips
    (h3), what this cast's speaking stars beyond three will do; "" otherwise (the casting page)."""
    from inference.backends.h3 import MAX_VIDEOS, cast_notice
    from inference.weights import backend_speaks

    by_role = {m.role.key: m.avatar for m in film.cast.select_related("avatar", "role")}
    order = []  # by first appearance in the script, the order the h3 backend gives its references
    for shot in film.script.shots.all():
        for key in list(shot.role_keys) + [line.get("role") for line in shot.dialogue]:
            if key in by_role and key not in order:
                order.append(key)
    order += [key for key in by_role if key not in order]
    speaking = [by_role[k].name for k in order
                if (by_role[k].voice_profile or {}).get("has_speech") and by_role[k].clip]
    if len(speaking) <= MAX_VIDEOS or not backend_speaks():
        return ""
    return cast_notice(speaking, film.script.language)


def request_render(film, user):
    """Queues a render once: a double click or a second tab finds the film already queued. The
    conditional UPDATE is the guard: of two requests at the same moment, in threads or processes,
    the database lets exactly one change the row from draft/failed to queued, and only that one
    enqueues. Per-user caps (renders at once, renders per day) are checked first."""
    from inference.queueing import enqueue_film_render

    from theatre.services import limits
    from theatre.services.scripts import validate_script

    if film.owner_id != user.pk:
        raise CastingError(_("Only the film's owner can render it."))
    if Film.objects.filter(pk=film.pk, status__in=[Film.Status.QUEUED, Film.Status.RENDERING]).exists():
        film.refresh_from_db()
        return False  # the second click of a double click: already on its way, not a new render
    validate_script(film.script)
    check_cast(film)
    try:
        limits.check_render_allowed(user)
    except limits.LimitReached as error:
        raise RenderLimitReached(str(error)) from error
    with transaction.atomic():
        updated = Film.objects.filter(pk=film.pk, status__in=[Film.Status.DRAFT, Film.Status.FAILED]).update(
            status=Film.Status.QUEUED, stage="queued", progress=0, failure_reason="", queued_at=timezone.now())
        if not updated:
            return False
        enqueue_film_render(film)
    limits.count_render(user)
    film.refresh_from_db()
    return True


def cancel_render(film, user):
    """Stops a film's render, back to a draft its owner may change and render again; True when it
    was cancelled, False when there was nothing to stop (a second click). A queued film leaves the
    queue; a rendering one is stopped by its worker, which asks after every step (a denoise step,
    a preview frame) whether the film is still rendering (inference.jobs.CancelCheck) and, seeing
    the draft, stops within that step and stores nothing."""
    from inference.queueing import cancel_queued_job

    if film.owner_id != user.pk:
        raise CastingError(_("Only the film's owner can cancel its render."))
    status, job_id = Film.objects.filter(pk=film.pk).values_list("status", "job_id").first() or ("", "")
    with transaction.atomic():
        # The same guard as request_render: of a cancel and a worker finishing at the same moment,
        # exactly one changes the row (the job stores a film only while it still says rendering).
        updated = Film.objects.filter(pk=film.pk, status__in=[Film.Status.QUEUED, Film.Status.RENDERING]).update(
            status=Film.Status.DRAFT, stage="", progress=0, queued_at=None, job_id="")
    film.refresh_from_db()
    if not updated:
        return False
    if job_id and status == Film.Status.QUEUED:
        cancel_queued_job(job_id)  # a started job is left to RQ: it stops by itself and ends normally
    return True


@transaction.atomic
def swap_me_in(film, user, role_key, avatar_id):
    """One-click remix: a new film with the same script, seed and other cast, and the user's
    avatar in one role. It links to the film it was remixed from."""
    _role, avatar = _role_and_avatar(film, user, role_key, avatar_id, _("Pick one of your own avatars, or one you may cast."))
    remix = start_film(user, film.script, title=film.title, seed=film.seed, remixed_from=film)
    allowed = castable_avatars(user)
    kept = {m.role.key: m.avatar_id for m in film.cast.select_related("role")}
    kept[role_key] = avatar.pk
    for new_role in remix.script.roles.all():
        avatar_for_role = kept.get(new_role.key)
        if avatar_for_role and (new_role.key == role_key or allowed.filter(pk=avatar_for_role).exists()):
            CastMember.objects.update_or_create(film=remix, role=new_role, defaults={"avatar_id": avatar_for_role})
        else:  # someone the remixer may not cast: the role goes back to its default or stays open
            CastMember.objects.filter(film=remix, role=new_role).exclude(avatar_id=new_role.default_avatar_id).delete()
    return remix


def remix_chain(film, user, depth=3):
    """The films this one was remixed from, nearest first, at most `depth`. It stops at the first
    one the user may not see, which is listed as None (shown without a title: it gives nothing
    away)."""
    chain, current = [], film
    while current.remixed_from_id is not None and len(chain) < depth:
        parent = visible_films(user).filter(pk=current.remixed_from_id).first()
        chain.append(parent)
        if parent is None:
            break
        current = parent
    return chain
