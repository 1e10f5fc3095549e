"""Rows the tests need, built directly: avatars that are ready, and small scripts."""
from django.core.files.base import ContentFile

from theatre.models import Avatar, Role, Script, Shot


def make_avatar(owner, name="Mia", kind="person", policy=Avatar.Policy.APPROVED, status=Avatar.Status.READY, **extra):
    return Avatar.objects.create(owner=owner, name=name, kind=kind, policy=policy, status=status, **extra)


def make_stock(name="Robot", kind="cartoon", key="robot"):
    return Avatar.objects.create(owner=None, stock_key=key, name=name, kind=kind, policy=Avatar.Policy.EVERYONE,
                                 status=Avatar.Status.READY, voice_preset="robot")


def make_script(roles=(("hero", "Hero", []), ("sidekick", "Sidekick", [])), shots=None, template=False, owner=None, language="en"):
    script = Script.objects.create(title="Test story", is_template=template, owner=owner, language=language,
                                   template_slug="test-story" if template else "")
    for order, (key, name, kinds) in enumerate(roles):
        Role.objects.create(script=script, key=key, name=name, kinds=list(kinds), order=order)
    keys = [key for key, _n, _k in roles]
    for order, shot in enumerate(shots or [
        {"framing": "wide", "action": " and ".join(f"@{k}" for k in keys) + " meet on a beach", "role_keys": keys,
         "dialogue": [{"role": keys[0], "text": "Hello there!"}], "duration": 3.0},
        {"framing": "close_up", "action": f"@{keys[-1]} smiles", "role_keys": keys[-1:], "dialogue": [], "duration": 2.0},
    ]):
        Shot.objects.create(script=script, order=order, **shot)
    return script


def tiny_png():
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "pink").save(buffer, "PNG")
    return ContentFile(buffer.getvalue(), name="tiny.png")
