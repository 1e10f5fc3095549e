"""Editing a film's shots outside the storyboard page (the API): replace them all, or change one.
The rules are the storyboard's: only the owner, only while the film is a draft or failed, lines
spoken by roles of the film, lines that fit their shot and the film, and then every check a saved
script gets before it may be rendered. A refused edit changes nothing."""
from django.db import transaction
from django.utils.translation import gettext as _

from theatre.models import Shot
from theatre.script.errors import MAX_SHOTS, ScriptError
from theatre.script.timing import film_problem, shot_problem
from theatre.services.casting import CastingError
from theatre.services.scripts import MENTION_RE, validate_script

EDITABLE_FIELDS = ("framing", "camera_move", "action", "dialogue", "duration", "roles")


def check_editable(film, user):
    """CastingError unless the user owns the film and it is a draft or failed."""
    if film.owner_id != user.pk:
        raise CastingError(_("Only the film's owner can change its shots."))
    if film.status not in (film.Status.DRAFT, film.Status.FAILED):
        raise CastingError(_("The shots of a film cannot change once it is rendering or rendered; remix it instead."))


def shot_json(number, shot):
    return {
        "number": number, "framing": shot.framing, "camera_move": shot.camera_move, "action": shot.action,
        "roles": list(shot.role_keys), "dialogue": [dict(line) for line in shot.dialogue], "duration": shot.duration,
    }


def script_json(film):
    """The film's roles and shots, as the API shows and takes them."""
    script = film.script
    shots = list(script.shots.all())
    return {
        "language": script.language,
        "roles": [{"key": r.key, "name": r.name, "kinds": list(r.kinds or [])} for r in script.roles.all()],
        "shots": [shot_json(number, shot) for number, shot in enumerate(shots, start=1)],
        "duration": round(sum(shot.duration for shot in shots), 1),
    }


def _problem(code, text):
    # A sentence already translated and formatted: carried as the one parameter of the message.
    return ScriptError(code, "%(text)s", text=text)


def _checked(film, number, data, keys):
    """The shot's fields, with `roles` worked out from the action's @mentions and the speakers
    when not given; ScriptError for a line by someone who is not a role or lines that do not fit."""
    for line in data["dialogue"]:
        if line["role"] not in keys:
            raise ScriptError.unknown_role(number, line["role"])
    roles = data.get("roles")
    if roles is None:
        mentioned = [key for key in MENTION_RE.findall(data["action"]) if key in keys]
        roles = mentioned + [line["role"] for line in data["dialogue"]]
    for key in roles:
        if key not in keys:
            raise ScriptError.unknown_role(number, key)
    problem = shot_problem(data["duration"], data["dialogue"], film.script.language)
    if problem:
        raise _problem("shot_too_short", _("Shot %(number)d: %(problem)s") % {"number": number, "problem": problem})
    return {**data, "roles": list(dict.fromkeys(roles))}


def _save(film, shots):
    """Writes the shots in order and checks the whole script; any ScriptError rolls it all back."""
    problem = film_problem([(shot["duration"], shot["dialogue"]) for shot in shots], film.script.language)
    if problem:
        raise _problem("too_long", problem)
    film.script.shots.all().delete()
    Shot.objects.bulk_create(
        Shot(script=film.script, order=order, framing=shot["framing"], camera_move=shot["camera_move"],
             action=shot["action"], role_keys=shot["roles"], dialogue=shot["dialogue"], duration=shot["duration"])
        for order, shot in enumerate(shots)
    )
    validate_script(film.script)


@transaction.atomic
def replace_shots(film, user, shots):
    """The film's shots become `shots` (dicts with EDITABLE_FIELDS; `roles` optional), in order."""
    check_editable(film, user)
    if not shots:
        raise ScriptError.no_shots()
    if len(shots) > MAX_SHOTS:
        raise ScriptError.too_many_shots(len(shots))
    keys = set(film.script.roles.values_list("key", flat=True))
    _save(film, [_checked(film, number, shot, keys) for number, shot in enumerate(shots, start=1)])
    return script_json(film)


@transaction.atomic
def edit_shot(film, user, number, changes):
    """Changes some fields of shot `number` (1-based); the other shots stay as they are."""
    check_editable(film, user)
    current = [shot_json(n, shot) for n, shot in enumerate(film.script.shots.all(), start=1)]
    if not 1 <= number <= len(current):
        raise ScriptError("no_such_shot", _("This film has no shot %(number)d."), number=number)
    keys = set(film.script.roles.values_list("key", flat=True))
    shots = []
    for shot in current:
        shot = {field: shot[field] for field in EDITABLE_FIELDS}
        if len(shots) + 1 == number:
            shot.update(changes)
            if "roles" not in changes and ("action" in changes or "dialogue" in changes):
                shot["roles"] = None  # worked out again from the new text
        shots.append(_checked(film, len(shots) + 1, shot, keys))
    _save(film, shots)
    return script_json(film)
