"""The words people use for shot markers, framings and camera moves, in Chinese and English, as
regular expressions the prompt parser reads."""
import re

from theatre.models import CameraMove, Framing

CN_DIGITS = "零一二两三四五六七八九十"
WORD_NUMBERS = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"]

# Characters that end a clause; a marker without a number must follow one (or start the text),
# so "wide shot, ..." is a framing and not the start of a new shot.
SEPARATORS = "\n\r。．.;；!！?？，,、:：|｜"
_SEP = re.escape(SEPARATORS)
_AFTER_SEP = rf"(?:^|(?<=[{_SEP}]))[ \t]*"

# Numbered markers are unambiguous wherever they stand. "镜头一转" (the camera turns) is a
# common phrase, so a Chinese numeral followed by 转/闪/晃 is not a marker.
_NUMBERED = (
    rf"第[ \t]*[{CN_DIGITS}\d]+[ \t]*[个個]?[ \t]*(?:镜头|分镜|场景?|幕)"
    rf"|(?:镜头|分镜|场景)[ \t]*(?:\d+|[{CN_DIGITS}]+(?![转轉闪晃动]))"
    r"|(?<![A-Za-z])(?:shot|scene)[ \t]*#?[ \t]*\d+"
)
_WORDED = rf"(?:shot|scene)[ \t]+(?:{'|'.join(WORD_NUMBERS)})\b"
_BARE = rf"(?:镜头|分镜|shot|scene)(?=[ \t]*[{_SEP}\-—–])"

SHOT_MARKER = re.compile(
    rf"(?:{_NUMBERED})|{_AFTER_SEP}(?:{_WORDED}|{_BARE})",
    re.IGNORECASE | re.MULTILINE,
)

# Longest and most specific first: the earliest match in a shot's text wins, ties go to order.
FRAMING_WORDS = [
    (Framing.EXTREME_CLOSE_UP, r"大特写|极特写|超特写|extreme[\s-]*close[\s-]*ups?|\bECU\b|\bXCU\b"),
    (Framing.OVER_THE_SHOULDER, r"过肩|over[\s-]*the[\s-]*shoulder|\bOTS\b"),
    (Framing.CLOSE_UP, r"特写|近景|close[\s-]*ups?\b|closeups?\b"),
    (Framing.MEDIUM, r"中近景|中景|半身|\bmedium\b|\bmid[\s-]*shot\b|waist[\s-]*up"),
    (Framing.FULL, r"全景|全身|\bfull[\s-]*(?:shot|body|length)\b"),
    (Framing.WIDE, r"大远景|远景|广角|\bestablishing\b|\blong[\s-]*shot\b|\bwide\b(?![\s-]*(?:smile|grin|eyed|eyes|open|awake))"),
]

CAMERA_MOVE_WORDS = [
    (CameraMove.PUSH_IN, r"推近|推进|推镜|(?:镜头|缓缓|慢慢)推|\b(?:push|dolly|zoom|truck)(?:es|s|ing|ed)?[\s-]*in\b"),
    (CameraMove.PULL_OUT, r"拉远|拉开镜头|拉镜|(?:镜头|缓缓|慢慢)拉|\b(?:pull|dolly|zoom)(?:s|ing|ed)?[\s-]*(?:out|back)\b"),
    (CameraMove.ORBIT, r"环绕|绕拍|旋转镜头|\borbit(?:s|ing)?\b|\bcircles? around\b|\b360\b"),
    (CameraMove.PAN, r"摇镜|横摇|摇移|(?:镜头|缓缓|慢慢)摇|\bpanning\b|\b(?:slow|quick|whip)[\s-]*pan\b|\bpans?\s+(?:left|right|up|down|across|over|along|to)\b"),
    (CameraMove.STATIC, r"固定镜头|镜头固定|固定机位|静止镜头|\bstatic\b|\blocked[\s-]*off\b|\bstill camera\b"),
]

FRAMING_RE = [(value.value, re.compile(pattern, re.IGNORECASE)) for value, pattern in FRAMING_WORDS]
CAMERA_MOVE_RE = [(value.value, re.compile(pattern, re.IGNORECASE)) for value, pattern in CAMERA_MOVE_WORDS]


def first_match(table, text, default):
    """The value whose pattern occurs earliest in the text; the default when none does."""
    best = None
    for value, pattern in table:
        found = pattern.search(text)
        if found and (best is None or found.start() < best[0]):
            best = (found.start(), value)
    return best[1] if best else default
