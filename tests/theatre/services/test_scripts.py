"""Saved scripts: creating one from a prompt, deep copies, the film rules and template look-up."""
import pytest

from theatre.models import Avatar, Role, Script, Shot
from theatre.script.parser import ScriptError, parse_prompt
from theatre.services.scripts import (
    copy_script, create_script_from_parsed, script_from_template, script_problems, validate_script,
)

PROMPT = 'Shot 1: wide shot, @Mia and @Tofu walk in. Shot 2: close-up, @Mia: "Look!" Shot 3: orbit around @Tofu'


@pytest.fixture
def script(alice):
    return create_script_from_parsed(alice, parse_prompt(PROMPT))


def error_codes(script):
    return [problem.code for problem in script_problems(script)]


def test_it_saves_a_parsed_prompt_with_roles_and_shots_in_order(script, alice):
    assert script.owner == alice
    assert script.prompt == PROMPT
    assert list(script.roles.values_list("key", "name", "order")) == [("mia", "Mia", 0), ("tofu", "Tofu", 1)]
    shots = list(script.shots.all())
    assert [(s.order, s.framing, s.camera_move) for s in shots] == [
        (0, "wide", "static"), (1, "close_up", "static"), (2, "medium", "orbit")]
    assert shots[1].dialogue == [{"role": "mia", "text": "Look!"}]
    assert validate_script(script) is script


def test_copy_script_deep_copies_roles_and_shots(script, bob):
    stock = Avatar.objects.create(name="Robot Bolt", stock_key="robot", status="ready", kind="cartoon")
    script.roles.filter(key="mia").update(default_avatar=stock, kinds=["person"], description="the walker")

    copy = copy_script(script, bob)

    assert copy.pk != script.pk and copy.owner == bob and not copy.is_template
    assert copy.title == script.title and copy.language == script.language
    original_roles = list(script.roles.values_list("key", "name", "description", "kinds", "default_avatar", "order"))
    assert list(copy.roles.values_list("key", "name", "description", "kinds", "default_avatar", "order")) == original_roles
    fields = ("order", "framing", "camera_move", "action", "role_keys", "dialogue", "duration")
    assert list(copy.shots.values_list(*fields)) == list(script.shots.values_list(*fields))
    assert not set(copy.shots.values_list("pk", flat=True)) & set(script.shots.values_list("pk", flat=True))


def test_editing_a_copy_leaves_the_original_alone(script, bob):
    copy = copy_script(script, bob)

    copy.shots.update(action="changed")
    copy.roles.filter(key="mia").update(name="Someone else")

    assert "changed" not in script.shots.values_list("action", flat=True)
    assert script.roles.get(key="mia").name == "Mia"


def test_a_copy_of_a_template_is_not_a_template(alice):
    template = Script.objects.create(is_template=True, template_slug="picnic", title="Picnic")
    Shot.objects.create(script=template, action="A picnic", duration=3)

    first, second = copy_script(template, alice), copy_script(template, alice)

    assert not first.is_template and not second.is_template
    assert first.template_slug == "picnic"


def test_it_accepts_six_shots_of_fifteen_seconds(script):
    script.shots.all().delete()
    for order in range(6):
        Shot.objects.create(script=script, order=order, action="@mia walks", role_keys=["mia"], duration=2.5)

    assert error_codes(script) == []


def test_it_rejects_a_script_without_shots(script):
    script.shots.all().delete()

    with pytest.raises(ScriptError) as caught:
        validate_script(script)
    assert caught.value.code == "no_shots"


def test_it_rejects_seven_shots(script):
    for order in range(3, 7):
        Shot.objects.create(script=script, order=order, action="@mia walks", duration=1)

    assert error_codes(script)[0] == "too_many_shots"


def test_it_rejects_more_than_fifteen_seconds(script):
    script.shots.update(duration=5.5)

    with pytest.raises(ScriptError) as caught:
        validate_script(script)
    assert caught.value.code == "too_long"
    assert "16.5" in str(caught.value)


def test_it_rejects_an_empty_shot(script):
    script.shots.filter(order=2).update(action="  ", dialogue=[])

    with pytest.raises(ScriptError) as caught:
        validate_script(script)
    assert caught.value.code == "empty_shot"
    assert caught.value.params["number"] == 3


def test_it_rejects_a_shot_shorter_than_its_lines(script):
    script.shots.filter(order=1).update(dialogue=[{"role": "mia", "text": "word " * 20}], duration=3)

    with pytest.raises(ScriptError) as caught:
        validate_script(script)
    assert caught.value.code == "shot_too_short"
    assert caught.value.params["needed"] == pytest.approx(8.0)  # 20 words at 2.7/s, lead-in and tail


def test_it_rejects_a_shot_that_names_a_missing_role(script):
    script.shots.filter(order=0).update(action="@ghost haunts the park")

    assert error_codes(script) == ["unknown_role"]


def test_script_from_template_finds_the_language_and_falls_back_to_english(alice):
    en = Script.objects.create(is_template=True, template_slug="picnic", language="en", title="Picnic")
    zh = Script.objects.create(is_template=True, template_slug="picnic", language="zh-hans", title="野餐")
    Role.objects.create(script=zh, key="friend", name="朋友")
    Script.objects.create(is_template=True, template_slug="duel", language="en", title="Duel")

    assert script_from_template("picnic", "zh-hans") == zh
    assert script_from_template("picnic", "en") == en
    assert script_from_template("duel", "zh-hans").title == "Duel"
    copy = script_from_template("picnic", "zh-hans", owner=alice)
    assert copy.owner == alice and copy.title == "野餐" and copy.roles.get().name == "朋友"
    with pytest.raises(Script.DoesNotExist):
        script_from_template("nothing", "en")
