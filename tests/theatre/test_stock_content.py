"""`load_stock`: the stock characters and the template gallery it writes, and running it again."""
import hashlib

import pytest
from django.core.management import call_command
from PIL import Image

from theatre.models import Avatar, AvatarFrame, Role, Script, Shot
from theatre.services.scripts import validate_script
from theatre.stock import characters, templates
from theatre.stock.loading import load_stock

VOICE_PRESETS = {"robot", "cat", "knight", "grandmother", "dragon", "astronaut"}


@pytest.fixture
def media(settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}}}
    return tmp_path


@pytest.fixture
def loaded(db, media):
    call_command("load_stock", stdout=open("/dev/null", "w"))
    return media


def row_counts():
    return [model.objects.count() for model in (Avatar, AvatarFrame, Script, Role, Shot)]


def stored_files(root):
    return sorted((p.relative_to(root).as_posix(), p.stat().st_mtime_ns) for p in root.rglob("*") if p.is_file())


def open_image(field_file):
    with field_file.open("rb") as handle:
        image = Image.open(handle)
        image.load()
    return image


def test_running_it_twice_changes_and_duplicates_nothing(loaded):
    counts, files = row_counts(), stored_files(loaded)
    fields = list(Script.objects.values_list("pk", "title", "poster"))

    assert load_stock() == {}
    call_command("load_stock", stdout=open("/dev/null", "w"))

    assert row_counts() == counts
    assert stored_files(loaded) == files
    assert list(Script.objects.values_list("pk", "title", "poster")) == fields


def test_it_updates_rows_when_the_code_changes(loaded, monkeypatch):
    paris = templates.BY_SLUG["paris-window-guitar"]
    monkeypatch.setitem(paris.titles, "en", "A New Song for Paris")
    counts = row_counts()

    tally = load_stock()

    assert tally == {"templates changed": 1}
    assert Script.objects.get(is_template=True, template_slug=paris.slug, language="en").title == "A New Song for Paris"
    assert row_counts() == counts


def test_it_makes_six_ready_stock_avatars_anyone_may_cast(loaded):
    avatars = Avatar.objects.filter(stock_key__isnull=False)

    assert avatars.count() >= 6
    for avatar in avatars:
        assert avatar.owner is None and avatar.status == "ready" and avatar.policy == "everyone"
        assert avatar.voice_preset in VOICE_PRESETS and avatar.voice_profile == {}
        assert len(avatar.crop_box) == 4 and 0 <= avatar.crop_box[0] < avatar.crop_box[2] <= 1


def test_each_stock_avatar_has_four_distinct_frames_one_chosen(loaded):
    for avatar in Avatar.objects.filter(stock_key__isnull=False):
        frames = list(avatar.frames.all())
        assert len(frames) == 4
        assert [frame.chosen for frame in frames] == [True, False, False, False]
        pictures = [open_image(frame.image) for frame in frames]
        assert all(picture.size == (512, 512) for picture in pictures)
        assert len({hashlib.sha256(p.tobytes()).hexdigest() for p in pictures}) == 4


def test_each_stock_avatar_has_a_transparent_crop_and_a_three_by_four_poster(loaded):
    for avatar in Avatar.objects.filter(stock_key__isnull=False):
        cut = open_image(avatar.crop)
        assert cut.mode == "RGBA" and cut.getpixel((0, 0))[3] == 0
        assert cut.width < 512 and cut.height < 512
        poster = open_image(avatar.poster)
        assert poster.width * 4 == poster.height * 3


def test_it_makes_eight_templates_in_english_and_chinese(loaded):
    slugs = set(Script.objects.filter(is_template=True).values_list("template_slug", flat=True))

    assert len(slugs) >= 8
    for slug in slugs:
        rows = Script.objects.filter(is_template=True, template_slug=slug)
        assert sorted(rows.values_list("language", flat=True)) == ["en", "zh-hans"]
        for script in rows:
            assert 2 <= script.shots.count() <= 4 and script.roles.exists()
            poster = open_image(script.poster)
            assert poster.width * 4 == poster.height * 3


def test_every_template_passes_the_script_rules(loaded):
    for script in Script.objects.filter(is_template=True):
        assert validate_script(script) is script
        assert script.duration <= 15


def test_every_template_role_has_a_stock_default_it_accepts(loaded):
    for role in Role.objects.filter(script__is_template=True).select_related("default_avatar"):
        assert role.default_avatar is not None and role.default_avatar.is_stock
        assert role.accepts(role.default_avatar), (role.script.template_slug, role.key)


def test_the_seeds_paris_window_scene_is_a_template(loaded):
    script = Script.objects.get(is_template=True, template_slug="paris-window-guitar", language="zh-hans")
    shots = list(script.shots.all())

    assert [shot.framing for shot in shots] == ["medium", "close_up", "close_up"]
    assert "落地窗" in shots[0].action and "埃菲尔铁塔" in shots[0].action
    assert "吉他" in shots[1].action and "深情" in shots[2].action
    assert script.roles.get().key == "musician"
    assert all(shot.role_keys == ["musician"] for shot in shots)


def test_a_person_and_pet_scene_is_a_template(loaded):
    script = Script.objects.get(is_template=True, template_slug="you-and-your-cat", language="en")
    kinds = {role.key: role.kinds for role in script.roles.all()}

    assert kinds == {"you": ["person"], "cat": ["pet"]}
    assert any(set(shot.role_keys) == {"you", "cat"} for shot in script.shots.all())


def test_the_characters_are_drawn_the_same_every_time():
    robot = characters.BY_KEY["robot"]
    characters.layer.cache_clear()
    first = [frame.tobytes() for frame in characters.reference_frames(robot)]
    characters.layer.cache_clear()

    assert [frame.tobytes() for frame in characters.reference_frames(robot)] == first
