"""@mentions in a prompt: which role each one names, and where it stands in the text.

With known names ({name: key} of the avatars a user may cast) the longest known name wins, so
"@卡尔背对镜头" finds 卡尔; without them an ASCII name ends at the first character that is not a
letter, digit, _ or -, and a Chinese name at punctuation, a space, or a common verb or particle."""
import re
from dataclasses import dataclass

from django.utils.text import slugify

from theatre.script.errors import ScriptError

# Where an unknown Chinese name stops: verbs and particles that commonly follow a name.
CJK_NAME_STOPS = set("和与跟同及说道问喊叫答笑哭背面站坐躺走跑跳飞拿抱举看望盯在正从向朝对把被给为让用的了着也都又就便才将要会想弹唱喝吃做转回低抬挥摸拍指穿戴身手脸头眼")
CJK_NAME_MAX = 4


@dataclass
class ParsedRole:
    key: str
    name: str


def _unique(items):
    return list(dict.fromkeys(items))


class Cast:
    """The roles a prompt mentions, in order of first mention, and where each mention is."""

    def __init__(self, known_mentions):
        self.known = None
        if known_mentions is not None:
            self.known = {}
            for name, key in known_mentions.items():
                self.known[name.casefold()] = (name, key)
                self.known.setdefault(str(key).casefold(), (name, key))
        self.roles = {}
        self.by_name = {}

    def collect(self, text):
        unknown = []
        for start, end in _mention_spans(text):
            name = self._name_at(text, start + 1, end)
            if name is None:
                unknown.append(_fallback_name(text, start + 1))
        if unknown:
            raise ScriptError.unknown_mention(_unique(unknown))

    def _name_at(self, text, begin, end):
        """The role name of the mention at text[begin:], registering the role; None if unknown."""
        if self.known is None:
            return self._add(_fallback_name(text, begin), None)
        rest = text[begin: begin + 60].casefold()
        for candidate in sorted(self.known, key=len, reverse=True):
            after = rest[len(candidate): len(candidate) + 1]
            if rest.startswith(candidate) and not (candidate[-1].isascii() and after.isascii() and (after.isalnum() or after == "_")):
                name, key = self.known[candidate]
                return self._add(name, key)
        return None

    def _add(self, name, key):
        if name.casefold() in self.by_name:
            return name
        key = key or _role_key(name, len(self.roles) + 1)
        while key in self.roles and self.roles[key].name != name:
            key = f"{key}-{len(self.roles) + 1}"
        self.roles[key] = ParsedRole(key=key, name=name)
        self.by_name[name.casefold()] = key
        return name

    def mentions_in(self, text):
        """[(start, end, key)] of every @mention and every bare role name in the text."""
        found = []
        for start, _end in _mention_spans(text):
            name = self._name_at(text, start + 1, len(text))
            if name is not None:
                found.append((start, start + 1 + len(name), self.by_name[name.casefold()]))
        for name, key in self.by_name.items():
            pattern = rf"(?<![@\w]){re.escape(name)}(?![A-Za-z0-9_])" if name.isascii() else re.escape(name)
            if len(name) >= 2:
                found += [(m.start(), m.end(), key) for m in re.finditer(pattern, text, re.IGNORECASE)
                          if not text[max(0, m.start() - 1): m.start()] == "@"]
        return sorted(found)

    def names_for_keys(self, text):
        for key, role in self.roles.items():
            text = re.sub(rf"@{re.escape(key)}(?![A-Za-z0-9_-])", role.name, text)
        return text


def _mention_spans(text):
    return [(m.start(), m.end()) for m in re.finditer(r"@(?=[\w])", text)]


def _fallback_name(text, begin):
    """An unknown name: ASCII up to a non-name character; Chinese up to punctuation or a stop."""
    rest = text[begin:begin + 40]
    ascii_name = re.match(r"[A-Za-z0-9_][A-Za-z0-9_-]*", rest)
    if ascii_name:
        return ascii_name.group(0).rstrip("-_")
    run = re.match(r"\w+", rest).group(0)
    run = re.match(r"[^A-Za-z0-9_]+", run).group(0) if run else run
    name = run[0]
    for char in run[1:CJK_NAME_MAX]:
        if char in CJK_NAME_STOPS:
            break
        name += char
    return name


def _role_key(name, number):
    key = slugify(name)[:40].strip("-")
    return key if key else f"role-{number}"
