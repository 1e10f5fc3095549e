"""Writes the stock characters and the template gallery to the database and default storage.

Idempotent: rows are found by stock_key / (template_slug, language) / role key / shot order and
only saved when a value differs; files are named by a hash of their bytes, so unchanged drawings
are not written again and changed ones get a new name. Old files are left in place: copies of a
template (films' scripts) still point at the poster they were made with."""
import hashlib

from django.core.files.base import ContentFile
from django.db import transaction

from ..models import Avatar, AvatarFrame, Role, Script, Shot
from . import characters
from .drawing import png_bytes
from .posters import template_poster
from .templates import LANGUAGES, TEMPLATES


class Tally(dict):
    """How many rows and files were created or changed, by kind."""

    def add(self, what, changed=True):
        if changed:
            self[what] = self.get(what, 0) + 1


def _assign(instance, values):
    """Set the values on the instance; True when any differed (or the row is new)."""
    changed = instance.pk is None
    for name, value in values.items():
        if getattr(instance, name) != value:
            setattr(instance, name, value)
            changed = True
    return changed


def _put_file(instance, field_name, stem, image):
    """Store the image under a name made from its bytes; True when the field changed."""
    data = png_bytes(image)
    field_file = getattr(instance, field_name)
    filename = f"{stem}-{hashlib.sha256(data).hexdigest()[:12]}.png"
    expected = field_file.field.generate_filename(instance, filename)
    if field_file.name == expected and field_file.storage.exists(expected):
        return False
    if field_file.storage.exists(expected):  # same bytes already stored by an earlier run
        field_file.name = expected
    else:
        field_file.save(filename, ContentFile(data), save=False)
    return True


def load_avatar(character, tally):
    """The stock Avatar row of one character, with its frames, crop and poster."""
    avatar = Avatar.objects.filter(stock_key=character.stock_key).first() or Avatar(stock_key=character.stock_key)
    cut, box = characters.crop(character)
    changed = _assign(avatar, {
        "owner": None, "name": character.name, "kind": character.kind, "description": character.description,
        "policy": Avatar.Policy.EVERYONE, "status": Avatar.Status.READY, "failure_reason": "",
        "crop_box": box, "voice_preset": character.voice_preset, "voice_profile": {},
    })
    stem = f"stock-{character.stock_key}"
    changed |= _put_file(avatar, "crop", stem, cut)
    changed |= _put_file(avatar, "poster", stem, characters.poster(character))
    if changed:
        avatar.save()
    tally.add("avatars changed", changed)
    _load_frames(avatar, character, tally)
    return avatar


def _load_frames(avatar, character, tally):
    frames = {frame.time: frame for frame in avatar.frames.all()}
    for number, image in enumerate(characters.reference_frames(character)):
        frame = frames.pop(float(number), None) or AvatarFrame(avatar=avatar, time=float(number))
        changed = _assign(frame, {"score": round(1.0 - number / 10, 2), "chosen": number == 0})
        changed |= _put_file(frame, "image", f"stock-{character.stock_key}-{number + 1}", image)
        if changed:
            frame.save()
        tally.add("frames changed", changed)
    for extra in frames.values():
        extra.delete()
        tally.add("frames deleted")


def load_template(template, language, avatars, tally):
    """One template in one language: the Script row, its roles, shots and poster."""
    script = Script.objects.filter(is_template=True, template_slug=template.slug, language=language).first()
    script = script or Script(is_template=True, template_slug=template.slug, language=language)
    changed = _assign(script, {
        "owner": None, "title": template.titles[language], "logline": template.loglines[language], "prompt": "",
    })
    changed |= _put_file(script, "poster", f"{template.slug}-{language}", template_poster(template, language))
    if changed:
        script.save()
    tally.add("templates changed", changed)
    _load_roles(script, template, language, avatars, tally)
    _load_shots(script, template, language, tally)
    return script


def _load_roles(script, template, language, avatars, tally):
    existing = {role.key: role for role in script.roles.all()}
    for order, spec in enumerate(template.roles):
        role = existing.pop(spec.key, None) or Role(script=script, key=spec.key)
        changed = _assign(role, {
            "name": spec.names[language], "description": spec.descriptions[language], "kinds": list(spec.kinds),
            "default_avatar_id": avatars[spec.stock_key].pk, "order": order,
        })
        if changed:
            role.save()
        tally.add("roles changed", changed)
    for extra in existing.values():
        extra.delete()
        tally.add("roles deleted")


def _load_shots(script, template, language, tally):
    existing = {shot.order: shot for shot in script.shots.all()}
    for order, spec in enumerate(template.shots):
        shot = existing.pop(order, None) or Shot(script=script, order=order)
        changed = _assign(shot, {
            "framing": spec.framing, "camera_move": spec.camera_move, "action": spec.actions[language],
            "role_keys": list(spec.role_keys), "dialogue": spec.dialogue(language), "duration": spec.duration(language),
        })
        if changed:
            shot.save()
        tally.add("shots changed", changed)
    for extra in existing.values():
        extra.delete()
        tally.add("shots deleted")


@transaction.atomic
def load_stock():
    """Create or update every stock character and template; returns what changed (empty: nothing)."""
    tally = Tally()
    avatars = {character.stock_key: load_avatar(character, tally) for character in characters.CHARACTERS}
    for template in TEMPLATES:
        for language in LANGUAGES:
            load_template(template, language, avatars, tally)
    return tally
