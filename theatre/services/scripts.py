"""Scripts in the database: save a parsed prompt, copy a script (templates and swaps), check a
saved script against the film rules, and find a gallery template."""
import re

from django.db import transaction

from theatre.models import Role, Script, Shot
from theatre.script.parser import seconds_needed
from theatre.script.errors import MAX_SECONDS, MAX_SHOTS, ScriptError

SCRIPT_FIELDS = ["template_slug", "language", "title", "logline", "prompt", "poster"]
ROLE_FIELDS = ["key", "name", "description", "kinds", "default_avatar_id", "order"]
SHOT_FIELDS = ["order", "framing", "camera_move", "action", "role_keys", "dialogue", "duration"]
MENTION_RE = re.compile(r"@([A-Za-z0-9_][A-Za-z0-9_-]*)")


@transaction.atomic
def create_script_from_parsed(owner, parsed):
    """Save a ParsedScript as the owner's script, with its roles and shots in order."""
    script = Script.objects.create(
        owner=owner, language=parsed.language, title=parsed.title[:80],
        logline=parsed.logline[:240], prompt=parsed.prompt,
    )
    Role.objects.bulk_create(
        Role(script=script, key=role.key, name=role.name[:40], order=order)
        for order, role in enumerate(parsed.roles)
    )
    Shot.objects.bulk_create(
        Shot(script=script, order=order, framing=shot.framing, camera_move=shot.camera_move,
             action=shot.action, role_keys=shot.role_keys, dialogue=shot.dialogue, duration=shot.duration)
        for order, shot in enumerate(parsed.shots)
    )
    return script


@transaction.atomic
def copy_script(script, owner):
    """A deep copy (roles and shots) owned by `owner`; never a template, so it may be edited
    freely. It keeps the template slug so a film can say which template it came from."""
    copy = Script.objects.create(owner=owner, is_template=False, **{f: getattr(script, f) for f in SCRIPT_FIELDS})
    Role.objects.bulk_create(
        Role(script=copy, **{f: getattr(role, f) for f in ROLE_FIELDS}) for role in script.roles.all()
    )
    Shot.objects.bulk_create(
        Shot(script=copy, **{f: getattr(shot, f) for f in SHOT_FIELDS}) for shot in script.shots.all()
    )
    return copy


def script_problems(script):
    """Every ScriptError of a saved script, in the order a person would fix them."""
    shots = list(script.shots.all())
    keys = set(script.roles.values_list("key", flat=True))
    problems = []
    if not shots:
        return [ScriptError.no_shots()]
    if len(shots) > MAX_SHOTS:
        problems.append(ScriptError.too_many_shots(len(shots)))
    for number, shot in enumerate(shots, start=1):
        problems += _shot_problems(number, shot, keys)
    total = round(sum(shot.duration for shot in shots), 1)
    if total > MAX_SECONDS:
        problems.append(ScriptError.too_long(total))
    return problems


def _shot_problems(number, shot, keys):
    problems = []
    if not shot.action.strip() and not shot.dialogue:
        problems.append(ScriptError.empty_shot(number))
    mentioned = MENTION_RE.findall(shot.action) + list(shot.role_keys)
    mentioned += [line.get("role") for line in shot.dialogue if line.get("role")]
    for key in dict.fromkeys(mentioned):
        if key not in keys:
            problems.append(ScriptError.unknown_role(number, key))
    needed = seconds_needed(shot.dialogue)
    if shot.duration + 1e-6 < needed:
        problems.append(ScriptError.shot_too_short(number, needed, shot.duration))
    return problems


def validate_script(script):
    """Raise the first ScriptError of a saved script; return the script when it may be filmed."""
    problems = script_problems(script)
    if problems:
        raise problems[0]
    return script


def script_from_template(slug, language, owner=None):
    """The gallery template in `language` (English when it has no such translation). With an
    owner, a fresh copy of it for their film instead of the template itself."""
    templates = Script.objects.filter(is_template=True, template_slug=slug)
    template = templates.filter(language=language).first() or templates.filter(language=Script.Language.EN).first()
    if template is None:
        raise Script.DoesNotExist(f"No template {slug!r}")
    return copy_script(template, owner) if owner is not None else template


def template_language(language_code):
    """The gallery language for a page or API language code: Chinese for any zh variant, else
    English (the two languages templates are written in)."""
    return Script.Language.ZH if (language_code or "").lower().startswith("zh") else Script.Language.EN


def gallery(language_code):
    """The template gallery in the language of `language_code`, with each template's roles."""
    return Script.objects.filter(is_template=True, language=template_language(language_code)).prefetch_related("roles")
