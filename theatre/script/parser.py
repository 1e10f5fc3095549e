"""Turns one free-form prompt with shot markers (Chinese or English) into a script draft: plain
dataclasses, nothing saved. `theatre.services.scripts.create_script_from_parsed` saves a draft.

Rules a person can predict:
- A shot starts at a marker (镜头一, 镜头1, 分镜1, 第一个镜头, Shot 1, Scene 2, "Shot one", or a bare
  "镜头，" / "Shot:" after a line or sentence break). Text before the first marker is the title.
  A prompt without markers is one shot.
- @name is a role (see `theatre.script.mentions` for where a name ends and how known names win).
- A shot that mentions nobody keeps the people of the shot before (a hand close-up of the same
  musician), so the generator gets the same references.
- Lines are text in quotes or after a colon ("@Mia: hello", "卡尔说：你好"), spoken by the nearest
  role named before them, else the shot's only (or first) role.
"""
import math
import re
import unicodedata
from dataclasses import dataclass, field

from theatre.script.mentions import Cast, ParsedRole
from theatre.script.errors import MAX_SECONDS, MAX_SHOTS, ScriptError
from theatre.script.timing import lines_seconds
from theatre.script.vocabulary import (
    CAMERA_MOVE_RE, FRAMING_RE, SEPARATORS, SHOT_MARKER, first_match,
)
from theatre.models import CameraMove, Framing

__all__ = ["ParsedRole", "ParsedScript", "ParsedShot", "ScriptError", "parse_prompt", "seconds_needed"]

MIN_SHOT_SECONDS = 2.0
DEFAULT_SHOT_SECONDS = 3.0

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
CJK_RE = re.compile(f"[{_CJK}]")
WORD_RE = re.compile(r"[A-Za-z0-9]+(?:['’][A-Za-z]+)?")
QUOTES = {"“": "”", "「": "」", "『": "』", '"': '"', "‘": "’"}
QUOTE_RE = re.compile("|".join(f"{re.escape(o)}([^{re.escape(c)}\n]*){re.escape(c)}" for o, c in QUOTES.items()))
SPEECH_VERB = r"[ \t]*(?:低声说|大声说|回答|说道|说|道|问|喊|叫道|says|said|asks|asked|shouts|whispers|replies|sings)?[ \t]*[:：][ \t]*"
DURATION_RE = re.compile(r"[（(\[]?[ \t]*(\d{1,2}(?:\.\d)?)[ \t]*(?:秒钟|秒|seconds?|secs?|s)(?![A-Za-z])[ \t]*[)）\]]?", re.IGNORECASE)
STRIP = SEPARATORS + " \t\u3000-—–·…、"


@dataclass
class ParsedShot:
    framing: str
    camera_move: str
    action: str
    role_keys: list
    dialogue: list
    duration: float
    fixed_duration: bool = False  # the prompt said how long ("(4s)", "4秒")


@dataclass
class ParsedScript:
    title: str
    language: str
    roles: list = field(default_factory=list)
    shots: list = field(default_factory=list)
    logline: str = ""
    prompt: str = ""

    @property
    def duration(self):
        return round(sum(shot.duration for shot in self.shots), 1)


def seconds_needed(dialogue):
    """The shortest a shot may be: its lines as the renderer's timing plan spaces them (the one
    rule of thumb, in theatre.script.timing), never under the minimum (0 if silent)."""
    if not dialogue:
        return 0.0
    return max(MIN_SHOT_SECONDS, _ceil_tenth(lines_seconds(dialogue)))


def _ceil_tenth(seconds):
    return math.ceil(round(seconds * 10, 6)) / 10


def parse_prompt(text, known_mentions=None):
    """Parse a prompt into a ParsedScript, or raise ScriptError (nothing is half-done)."""
    text = _normalise(text or "")
    if not text.strip(" \t\n" + SEPARATORS):
        raise ScriptError.no_shots()
    preamble, bodies = _split_shots(text)
    if len(bodies) > MAX_SHOTS:
        raise ScriptError.too_many_shots(len(bodies))
    cast = Cast(known_mentions)
    cast.collect(text)
    language = _detect_language(text)
    previous = [key for _s, _e, key in cast.mentions_in(preamble)]
    shots = []
    for number, body in enumerate(bodies, start=1):
        shot = _build_shot(number, body, cast, _unique(previous), language)
        previous = shot.role_keys
        shots.append(shot)
    _fit_durations(shots)
    return ParsedScript(
        title=_title(preamble, shots, cast), language=language, roles=list(cast.roles.values()),
        shots=shots, logline=cast.names_for_keys(_tidy(preamble))[:240] if re.search(r"\w", preamble) else "",
        prompt=text,
    )


def _normalise(text):
    """Full-width letters, digits and @ become ASCII; full-width spaces become spaces. Chinese
    punctuation stays as typed (it is part of the action text)."""
    out = []
    for char in text:
        code = ord(char)
        if char == "\u3000":
            out.append(" ")
        elif 0xFF01 <= code <= 0xFF5E and (char.isalnum() or char in "＠＂＃－"):
            out.append(unicodedata.normalize("NFKC", char))
        else:
            out.append(char)
    return "".join(out).replace("\r\n", "\n")


def _split_shots(text):
    """(preamble, [shot body, ...]); without markers the whole text is the one shot."""
    starts = [(match.start(), match.end()) for match in SHOT_MARKER.finditer(text)]
    if not starts:
        return "", [text]
    bodies = [text[end:nxt] for (_s, end), (nxt, _e) in zip(starts, starts[1:] + [(len(text), 0)])]
    return text[: starts[0][0]], bodies


def _detect_language(text):
    cjk = len(CJK_RE.findall(text))
    words = len(WORD_RE.findall(CJK_RE.sub(" ", text)))
    return "zh-hans" if cjk and cjk >= words else "en"


def _unique(keys):
    return list(dict.fromkeys(keys))


def _build_shot(number, body, cast, previous_keys, language):
    """One shot from the text after its marker."""
    explicit = DURATION_RE.search(body)
    if explicit:
        body = body[: explicit.start()] + body[explicit.end():]
    if not _has_content(body):
        raise ScriptError.empty_shot(number)
    anchors = cast.mentions_in(body)
    keys = _unique(key for _s, _e, key in anchors) or list(previous_keys)
    dialogue, spans = _dialogue(body, anchors, keys)
    action = _action(body, spans, cast, keys, language)
    duration = max(MIN_SHOT_SECONDS, float(explicit.group(1))) if explicit else DEFAULT_SHOT_SECONDS
    return ParsedShot(
        framing=first_match(FRAMING_RE, body, Framing.MEDIUM.value),
        camera_move=first_match(CAMERA_MOVE_RE, body, CameraMove.STATIC.value),
        action=action, role_keys=keys, dialogue=dialogue, duration=duration,
        fixed_duration=bool(explicit),
    )


def _has_content(body):
    return bool(body.strip(STRIP + "".join(QUOTES) + "".join(QUOTES.values()) + "()（）[]"))


def _dialogue(body, anchors, keys):
    """([{"role", "text"}], [(start, end) spans to drop from the action]) in reading order."""
    lines = []
    for match in QUOTE_RE.finditer(body):
        text = next(group for group in match.groups() if group is not None).strip()
        if text:
            lines.append((match.start(), match.end(), _speaker(anchors, match.start(), keys), text))
    quoted = [(start, end) for start, end, _r, _t in lines]
    colon_starts = {}
    for start, end, key in anchors:
        said = re.match(SPEECH_VERB, body[end:])
        if said and not any(s <= start < e for s, e in quoted):
            colon_starts[start] = (end + said.end(), key)
    for start, (text_start, key) in colon_starts.items():
        text_end = _line_end(body, text_start, colon_starts)
        text = body[text_start:text_end].strip(" \t,，")
        if text and body[text_start] not in QUOTES:
            lines.append((start, text_end, key, text))
    lines.sort()
    return [{"role": key, "text": text} for _s, _e, key, text in lines], [(s, e) for s, e, _k, _t in lines]


def _speaker(anchors, position, keys):
    before = [key for start, _end, key in anchors if start < position]
    if before:
        return before[-1]
    return keys[0] if keys else ""


def _line_end(body, start, colon_starts):
    """A line after a colon runs to a line break, a semicolon, a Chinese full stop or the next speaker."""
    ends = [len(body)] + [s for s in colon_starts if s > start]
    stop = re.search(r"[\n;；。]", body[start:])
    if stop:
        ends.append(start + stop.end() - (0 if stop.group(0) == "。" else 1))
    return min(ends)


def _action(body, spans, cast, keys, language):
    """The shot's words without its lines, mentions written @key."""
    kept, cursor = [], 0
    for start, end in spans:
        # Drop the colon that introduced a quote too: '@Mia laughs: "hi"' -> '@Mia laughs'.
        start = len(re.sub(r"[ \t]*[:：][ \t]*$", "", body[:start]))
        kept.append(body[cursor:start])
        cursor = max(cursor, end)
    kept.append(body[cursor:])
    text = "".join(kept)
    text = _with_keys(text, cast)
    text = _tidy(text)
    if not _without_shot_words(text):
        # Only a framing is left ("medium, @Mia: hi"): say who is on screen talking.
        zh = language == "zh-hans"
        mentions = [f"@{key}" for key in keys]
        if zh:
            who = " 和 ".join(mentions) + " 说话"
        else:
            who = " and ".join(mentions) + (" speaks" if len(mentions) == 1 else " speak")
        who = who if keys else _tidy(body)
        text = f"{text}{'，' if zh else ', '}{who}" if text else who
    return text


def _with_keys(text, cast):
    """Mentions become @key, so the text reads the same whatever avatar is cast later."""
    out, cursor = [], 0
    for start, end, key in cast.mentions_in(text):
        if text[start] == "@" and start >= cursor:
            out += [text[cursor:start], f"@{key}"]
            cursor = end
    return "".join(out) + text[cursor:]


def _tidy(text):
    text = re.sub(r"[ \t]+", " ", text.replace("\n", " "))
    text = re.sub(r"([，,;；。.:：])(?:\s*[，,;；:：])+", r"\1", text)
    text = re.sub(r"\s+([，,;；。.!?！？])", r"\1", text)
    return text.strip(STRIP.replace(".", "").replace("。", "").replace("!", "").replace("?", "").replace("！", "").replace("？", "")).strip()


def _fit_durations(shots):
    """Each shot long enough for its lines; silent shots give up time first so the film fits 15 s."""
    floors = []
    for shot in shots:
        need = seconds_needed(shot.dialogue)
        floors.append(max(need, shot.duration if shot.fixed_duration else MIN_SHOT_SECONDS))
        if shot.fixed_duration:
            shot.duration = max(need, shot.duration)
        else:
            shot.duration = need if shot.dialogue else DEFAULT_SHOT_SECONDS
    minimum = round(sum(floors), 1)
    if minimum > MAX_SECONDS:
        raise ScriptError.too_long(minimum)
    total = sum(shot.duration for shot in shots)
    slack = sum(shot.duration - floor for shot, floor in zip(shots, floors))
    if total > MAX_SECONDS and slack > 0:
        keep = 1 - (total - MAX_SECONDS) / slack
        for shot, floor in zip(shots, floors):
            shot.duration = max(floor, math.floor((floor + (shot.duration - floor) * keep) * 10 + 1e-6) / 10)
    for shot in shots:
        shot.duration = round(shot.duration, 1)


def _without_shot_words(clause):
    """A clause minus framing and camera words: "wide shot" says nothing about the story."""
    for _value, pattern in FRAMING_RE + CAMERA_MOVE_RE:
        clause = pattern.sub("", clause)
    return re.sub(r"\b(?:shots?|of)\b|描绘|转为", "", clause, flags=re.IGNORECASE).strip(STRIP)


def _title(preamble, shots, cast):
    """The text before the first marker, else the first clause of the first shot."""
    title = cast.names_for_keys(_tidy(preamble)) if re.search(r"\w", preamble) else ""
    if not title:
        first = cast.names_for_keys(shots[0].action)
        clauses = [_without_shot_words(c) for c in re.split(r"[。.;；!！?？，,:：\n]", first)]
        names = " & ".join(role.name for role in cast.roles.values())
        title = next((c for c in clauses if len(re.findall(r"\w", c)) >= 2), names or first)
    title = title.strip(STRIP)
    return title if len(title) <= 40 else title[:39] + "…"
