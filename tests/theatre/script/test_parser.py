"""The prompt parser on a table of Chinese and English prompts, tidy and messy, and its errors."""
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from theatre.script.parser import ScriptError, parse_prompt

SEED = (
    "镜头一，中景描绘@卡尔背对镜头，站在巴黎公寓的落地窗前俯瞰夜晚的埃菲尔铁塔；镜头二，转为手部特写，"
    "拿起一把吉他；镜头三，人物表情特写，抱着吉他做出深情表情"
)
LONG_SHOTS = "".join(
    f"Shot {n}: wide shot, @Mia walks through the old market at dusk, past lanterns, fruit stalls, "
    f"a juggler, a bicycle, a fountain and a sleeping dog, {'while the camera keeps its distance, ' * 5}"
    f"and the evening light turns orange. " for n in range(1, 7)
)


def case(id, prompt, *, known=None, framings, moves=None, roles=(), shot_roles=None, lines=None, language="en"):
    return pytest.param(prompt, known, framings, moves, list(roles), shot_roles, lines or {}, language, id=id)


CASES = [
    case("the seed's Paris prompt", SEED, framings=["medium", "close_up", "close_up"],
         roles=["卡尔"], shot_roles=[["卡尔"], ["卡尔"], ["卡尔"]], language="zh-hans"),
    case("the seed's prompt with known avatars", SEED, known={"卡尔": "karl", "卡": "ka"},
         framings=["medium", "close_up", "close_up"], roles=["卡尔"], language="zh-hans"),
    case("English shots with two roles and a quoted line",
         'Shot 1: wide shot, @Mia and @Tofu walk into the park. Shot 2: close-up, @Mia: "Look, a squirrel!"',
         framings=["wide", "close_up"], roles=["Mia", "Tofu"], shot_roles=[["Mia", "Tofu"], ["Mia"]],
         lines={1: [("Mia", "Look, a squirrel!")]}),
    case("scenes with dashes, pans and push-ins",
         "Scene 1 - establishing shot of a rainy street, slow pan. Scene 2 - medium, @Leo opens an umbrella. "
         "Scene 3 - extreme close-up, raindrops on @Leo's glasses, push in",
         framings=["wide", "medium", "extreme_close_up"], moves=["pan", "static", "push_in"],
         roles=["Leo"], shot_roles=[[], ["Leo"], ["Leo"]]),
    case("numbers spelt out, any case",
         "shot one: full shot, @Ana dances. shot two: ECU, @Ana winks. SHOT THREE: OTS @Ana looks at the sea, orbit",
         framings=["full", "extreme_close_up", "over_the_shoulder"], moves=["static", "static", "orbit"], roles=["Ana"]),
    case("分镜 with arabic numbers",
         "分镜1：远景，@阿青 站在山顶，镜头缓缓推近。分镜2：近景，@阿青 回头微笑",
         framings=["wide", "close_up"], moves=["push_in", "static"], roles=["阿青"], language="zh-hans"),
    case("第一个镜头 with a line after 说：",
         "第一个镜头：全景，@奶奶 在厨房里揉面团。第二个镜头：特写，面团被擀平。第三个镜头：中景，@奶奶 笑着说：“开饭啦！”",
         framings=["full", "close_up", "medium"], roles=["奶奶"], shot_roles=[["奶奶"], ["奶奶"], ["奶奶"]],
         lines={2: [("奶奶", "开饭啦！")]}, language="zh-hans"),
    case("full-width letters, digits and spaces",
         "Ｓｈｏｔ　１：　ｃｌｏｓｅ－ｕｐ，　＠Ｍｉａ　ｓｍｉｌｅｓ。Ｓｈｏｔ　２：ｗｉｄｅ　ｓｈｏｔ，ｄｏｌｌｙ ｉｎ",
         framings=["close_up", "wide"], moves=["static", "push_in"], roles=["Mia"]),
    case("Chinese markers without numbers",
         "镜头，远景，城市夜景。镜头：中景，@卡尔 走进咖啡馆。镜头，特写，咖啡杯冒着热气",
         known={"卡尔": "karl"}, framings=["wide", "medium", "close_up"], roles=["卡尔"],
         shot_roles=[[], ["卡尔"], ["卡尔"]], language="zh-hans"),
    case("English markers without numbers, one per line",
         "Shot: wide, a quiet beach at dawn.\nShot: medium, @Tofu runs along the waves.\nShot - close-up of @Tofu's wet nose",
         framings=["wide", "medium", "close_up"], roles=["Tofu"], shot_roles=[[], ["Tofu"], ["Tofu"]]),
    case("extra spaces everywhere",
         "   镜头 一 ，  中景  ，  @卡尔   弹吉他   ；   镜头 二 ，   特写   ",
         framings=["medium", "close_up"], roles=["卡尔"], language="zh-hans"),
    case("emoji around the words",
         '🎬 Shot 1: 🌧️ wide shot, @Mia runs 🏃‍♀️ in the rain. Shot 2: 😊 close-up, @Mia laughs: "I love rain!" ☔',
         framings=["wide", "close_up"], roles=["Mia"], lines={1: [("Mia", "I love rain!")]}),
    case("no markers in English is one shot",
         '@Ana waves at @Bolt, who says "Enjoy your coffee!"',
         framings=["medium"], roles=["Ana", "Bolt"], lines={0: [("Bolt", "Enjoy your coffee!")]}),
    case("no markers in Chinese is one shot",
         "@小猫 跳上沙发，打了个哈欠", framings=["medium"], roles=["小猫"], language="zh-hans"),
    case("two speakers after colons in one shot",
         "Shot 1: medium, @Mia: Hi Tofu! @Tofu: Woof!", framings=["medium"], roles=["Mia", "Tofu"],
         lines={0: [("Mia", "Hi Tofu!"), ("Tofu", "Woof!")]}),
    case("a role named without @ speaks after 说：",
         "镜头一：中景，@卡尔 看向窗外。镜头二：特写，卡尔说：今晚的巴黎真美。",
         framings=["medium", "close_up"], roles=["卡尔"], lines={1: [("卡尔", "今晚的巴黎真美。")]}, language="zh-hans"),
    case("corner-bracket quotes, and 推开 is not a push-in",
         "镜头1：近景，@小美 低声说「我回来了」；镜头2：远景，@小美 推开家门",
         framings=["close_up", "wide"], moves=["static", "static"], roles=["小美"],
         lines={0: [("小美", "我回来了")]}, language="zh-hans"),
    case("white-corner quotes go to the nearest mention",
         "镜头一：过肩镜头，@阿青 和 @小白 对视。『你终于来了』",
         framings=["over_the_shoulder"], roles=["阿青", "小白"], lines={0: [("小白", "你终于来了")]}, language="zh-hans"),
    case("English camera moves",
         "Shot 1: medium, dolly in on @Kai. Shot 2: wide, zoom out to reveal the city. "
         "Shot 3: orbit around @Kai. Shot 4: static close-up of @Kai's hands",
         framings=["medium", "wide", "medium", "close_up"], moves=["push_in", "pull_out", "orbit", "static"], roles=["Kai"]),
    case("Chinese camera moves",
         "镜头一：全景，镜头环绕@龙龙。镜头二：中景，镜头拉远。镜头三：特写，固定镜头，@龙龙 吹蜡烛。镜头四：远景，镜头横摇",
         framings=["full", "medium", "close_up", "wide"], moves=["orbit", "pull_out", "static", "pan"],
         roles=["龙龙"], language="zh-hans"),
    case("镜头一转 is a camera turn, not a new shot",
         "镜头一：中景，@卡尔 看书，镜头一转，窗外下雪了", framings=["medium"], roles=["卡尔"], language="zh-hans"),
    case("大特写 is an extreme close-up and 过肩 over the shoulder",
         "镜头1：大特写，@卡尔 的眼睛。镜头2：过肩，@卡尔 望向远方", known={"卡尔": "karl"},
         framings=["extreme_close_up", "over_the_shoulder"], roles=["卡尔"], language="zh-hans"),
    case("a title before the first marker",
         "The Last Train\nShot 1: wide shot, a platform at night. Shot 2: close-up, @Mia checks her watch",
         framings=["wide", "close_up"], roles=["Mia"]),
    case("closeup and close up spelt loosely, pull back",
         "Scene 1: closeup, @Bo sneezes. Scene 2: close up, @Bo laughs, pull back",
         framings=["close_up", "close_up"], moves=["static", "pull_out"], roles=["Bo"]),
    case("2 000 characters in six shots", LONG_SHOTS, framings=["wide"] * 6, roles=["Mia"]),
]


@pytest.mark.parametrize("prompt, known, framings, moves, roles, shot_roles, lines, language", CASES)
def test_it_parses_the_prompt_into_shots(prompt, known, framings, moves, roles, shot_roles, lines, language):
    parsed = parse_prompt(prompt, known)
    key_of = {role.name: role.key for role in parsed.roles}

    assert [role.name for role in parsed.roles] == roles
    assert [shot.framing for shot in parsed.shots] == framings
    if moves:
        assert [shot.camera_move for shot in parsed.shots] == moves
    if shot_roles:
        assert [shot.role_keys for shot in parsed.shots] == [[key_of[name] for name in names] for names in shot_roles]
    for number, shot in enumerate(parsed.shots):
        expected = [{"role": key_of[name], "text": text} for name, text in lines.get(number, [])]
        assert shot.dialogue == expected
        assert shot.action.strip()
        assert 2.0 <= shot.duration
    assert parsed.language == language
    assert parsed.title
    assert parsed.duration <= 15.0


def test_it_writes_mentions_as_role_keys_in_the_action():
    parsed = parse_prompt(SEED, {"卡尔": "karl"})

    assert parsed.roles[0].key == "karl"
    assert parsed.shots[0].action.startswith("中景描绘@karl背对镜头，站在巴黎公寓的落地窗前")
    assert "@" not in parsed.shots[1].action


def test_it_prefers_the_longest_known_name():
    parsed = parse_prompt("@卡尔背对镜头", {"卡": "ka", "卡尔": "karl"})

    assert [(r.key, r.name) for r in parsed.roles] == [("karl", "卡尔")]


def test_it_ends_an_unknown_chinese_name_at_a_verb():
    parsed = parse_prompt("@卡尔背对镜头，@小猫咪跳上窗台")

    assert [r.name for r in parsed.roles] == ["卡尔", "小猫咪"]


def test_it_gives_silent_shots_three_seconds():
    parsed = parse_prompt(SEED)

    assert [shot.duration for shot in parsed.shots] == [3.0, 3.0, 3.0]


def test_it_makes_a_shot_long_enough_for_its_lines():
    parsed = parse_prompt('Shot 1: @Mia: "One two three four five six seven eight nine ten eleven twelve thirteen"')

    # 13 words at 2.7 words/s = 4.8 s, plus the timing plan's 0.2 s lead-in and 0.3 s tail, rounded up.
    assert parsed.shots[0].duration == pytest.approx(5.4)


def test_it_counts_chinese_lines_by_characters():
    parsed = parse_prompt("镜头一：@卡尔 说：“今晚的巴黎真美，我想为你弹一首歌”")

    # 15 characters at 4.5/s = 3.33 s, 0.2 s for the comma's pause, 0.5 s lead-in and tail, rounded up.
    assert parsed.shots[0].duration == pytest.approx(4.1)


def test_it_gives_a_short_line_the_minimum_two_seconds():
    parsed = parse_prompt('Shot 1: @Tofu: "Woof"')

    assert parsed.shots[0].duration == 2.0


def test_it_shrinks_silent_shots_to_fit_fifteen_seconds():
    prompt = "".join(f"Shot {n}: wide, @Mia walks. " for n in range(1, 7))

    parsed = parse_prompt(prompt)

    assert [shot.duration for shot in parsed.shots] == [2.5] * 6
    assert parsed.duration == 15.0


def test_it_keeps_the_time_lines_need_when_it_shrinks():
    line = "我" * 27  # 6 s of speech
    prompt = f"镜头一：@卡尔 说：“{line}”。镜头二：远景。镜头三：中景。镜头四：特写。"

    parsed = parse_prompt(prompt)

    assert parsed.shots[0].duration == pytest.approx(6.5)  # 6 s, and 0.5 s lead-in and tail
    assert parsed.duration <= 15.0
    assert all(shot.duration >= 2.0 for shot in parsed.shots)


def test_it_takes_durations_written_in_the_prompt():
    parsed = parse_prompt("Shot 1 (4s): wide, @Mia waves. Shot 2 (5 秒): close-up, @Mia smiles")

    assert [shot.duration for shot in parsed.shots] == [4.0, 5.0]
    assert "4s" not in parsed.shots[0].action


def test_it_parses_two_thousand_characters_in_six_shots_within_the_film_length():
    # How fast is bench/script_speed.py's business (a ratio against a short prompt, same run).
    assert len(LONG_SHOTS) >= 2000

    parsed = parse_prompt(LONG_SHOTS)

    assert len(parsed.shots) == 6
    assert parsed.duration <= 15.0


def test_it_keeps_a_long_prompt_without_markers_as_one_shot():
    parsed = parse_prompt("@Mia walks through the market, " * 70)

    assert len(parsed.shots) == 1
    assert parsed.shots[0].duration == 3.0


def test_it_rejects_an_empty_prompt():
    for text in ["", "   \n ", "，。；"]:
        with pytest.raises(ScriptError) as caught:
            parse_prompt(text)
        assert caught.value.code == "no_shots"
        assert "No shot found" in str(caught.value)


def test_it_rejects_more_than_six_shots_and_says_how_many():
    prompt = "".join(f"镜头{n}：中景，@卡尔 走路。" for n in range(1, 8))

    with pytest.raises(ScriptError) as caught:
        parse_prompt(prompt)

    assert caught.value.code == "too_many_shots"
    assert "7" in str(caught.value)


def test_it_rejects_a_two_thousand_character_prompt_with_too_many_shots():
    prompt = LONG_SHOTS + "Shot 7: close-up, @Mia sighs."

    with pytest.raises(ScriptError) as caught:
        parse_prompt(prompt)

    assert caught.value.params["count"] == 7


def test_it_rejects_a_film_over_fifteen_seconds_and_says_the_total():
    with pytest.raises(ScriptError) as caught:
        parse_prompt("Shot 1 (8s): wide, @Mia waves. Shot 2 (8s): close-up, @Mia smiles")

    assert caught.value.code == "too_long"
    assert "16.0" in str(caught.value)


def test_it_rejects_lines_that_cannot_be_said_in_fifteen_seconds():
    with pytest.raises(ScriptError) as caught:
        parse_prompt("镜头一：@卡尔 说：“" + "好" * 80 + "”")

    assert caught.value.code == "too_long"
    assert caught.value.params["total"] == pytest.approx(18.3)  # 80 characters at 4.5/s, lead-in and tail


def test_it_rejects_an_empty_shot_and_says_which():
    for prompt in ["Shot 1: wide, @Mia. Shot 2:   Shot 3: close-up", "镜头一：远景，城市。镜头二：，。镜头三：特写"]:
        with pytest.raises(ScriptError) as caught:
            parse_prompt(prompt)
        assert caught.value.code == "empty_shot"
        assert "Shot 2" in str(caught.value)


def test_it_rejects_unknown_mentions_and_names_them():
    with pytest.raises(ScriptError) as caught:
        parse_prompt("镜头一：@卡尔 和 @Bob 跳舞，@Zed 鼓掌", {"卡尔": "karl"})

    assert caught.value.code == "unknown_mention"
    assert "@Bob, @Zed" in str(caught.value)


def test_it_explains_a_role_with_no_avatar():
    error = ScriptError.role_without_avatar("the musician")

    assert error.code == "role_without_avatar"
    assert "the musician" in str(error)


def test_its_messages_are_translated_when_shown():
    from django.utils import translation

    error = ScriptError.too_many_shots(9)
    with translation.override("zh-hans"):
        shown = str(error)

    assert "9" in shown


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab @：:，,。.；;“”\"「」镜头一二分卡尔说Shot 12close-up特写\n🎬")), max_size=600))
def test_any_text_gives_a_script_within_the_limits_or_a_script_error(text):
    try:
        parsed = parse_prompt(text)
    except ScriptError as error:
        assert str(error)
        return
    assert 1 <= len(parsed.shots) <= 6
    assert parsed.duration <= 15.0
    assert all(shot.duration >= 2.0 and shot.action for shot in parsed.shots)
