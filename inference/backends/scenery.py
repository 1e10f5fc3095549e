"""Simple painted sets for the preview animatic, chosen by keywords in English and Chinese.

A set is a palette (room, street, city, beach, forest, sky; night changes the light) plus a few
drawn props (window, stars and moon, sun, trees, buildings, waves), drawn with numpy gradients and
Pillow shapes from a seeded random generator. `plan_sets` decides the film's places up front: one
set per scene, kept until a shot's words name another place, so nothing changes at a plain cut.
"""
import re
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

# The first place whose words appear wins; the order puts specific places before general ones.
# A shot's words naming one of these starts a new scene (plan_sets), so a word must not also be a
# common verb of stage directions.
PLACES = (
    ("beach", ("beach", "sea", "ocean", "shore", "surf", "海", "沙滩", "海边", "浪")),  # not "wave": people wave
    ("forest", ("forest", "tree", "woods", "park", "garden", "森林", "树", "公园", "花园", "林")),
    ("city", ("city", "skyline", "rooftop", "building", "城市", "楼", "天台", "都市")),
    ("street", ("street", "road", "shop", "market", "alley", "街", "路", "商店", "市场", "巷")),
    ("room", ("room", "home", "house", "kitchen", "office", "bed", "sofa", "table", "cafe", "class",
              "apartment", "hotel", "studio", "室", "房间", "家", "厨房", "办公", "床", "沙发", "桌",
              "咖啡", "屋", "教室", "公寓", "酒店", "客厅")),
)
NIGHT_WORDS = ("night", "dark", "moon", "star", "midnight", "evening", "夜", "晚", "月", "星", "黑")
DAY_WORDS = ("day", "daylight", "morning", "noon", "afternoon", "sunny", "白天", "早上", "早晨", "中午",
             "下午", "阳光", "晴")
WINDOW_WORDS = ("window", "窗")
SUN_WORDS = ("sun", "sunny", "morning", "阳", "日", "晴", "早")
SKYLINE_WORDS = ("city", "skyline", "tower", "paris", "城市", "都市", "巴黎", "塔", "高楼")


@dataclass(frozen=True)
class SetChoice:
    """The set of one scene: where, in what light, with which props. Shots with equal choices get
    the same pixels, because the props are drawn from a generator seeded by the scene number."""

    place: str
    night: bool
    window: bool = False
    sun: bool = False
    skyline: bool = False  # the window looks out on a city
    scene: int = 0  # 0 for the film's first place, +1 at each change of place


def named_place(words: str) -> str | None:
    words = words.lower()
    return next((place for place, keys in PLACES if has_any(words, keys)), None)


def time_of_day(words: str) -> bool | None:
    """True for night, False for day, None when the words do not say."""
    words = words.lower()
    night, day = has_any(words, NIGHT_WORDS), has_any(words, DAY_WORDS)
    return None if night == day else night


def plan_sets(title: str, actions: list[str]) -> list[SetChoice]:
    """One SetChoice per shot, from the shots' stage directions (not the dialogue: a line about the
    sea is not a trip to the beach). A shot keeps the place and light of the shot before unless its
    own words name another place or time of day; the film's title sets the first place when the
    first shot names none. Props named anywhere in a scene (a window) belong to the whole scene."""
    place, night = named_place(title) or "sky", bool(time_of_day(title))
    scenes, plan = [], []
    for number, action in enumerate(actions):
        named = named_place(action)
        if number == 0 or (named is not None and named != place):
            place = named or place
            scenes.append([])
        said = time_of_day(action)
        night = night if said is None else said
        scenes[-1].append(number)
        plan.append((len(scenes) - 1, place, night))
    words = [" ".join(actions[n] for n in shots).lower() for shots in scenes]
    choices = []
    for scene, place, night in plan:
        text = words[scene] + " " + (title.lower() if scene == 0 else "")
        choices.append(SetChoice(
            place=place, night=night, window=has_any(text, WINDOW_WORDS),
            sun=not night and (has_any(text, SUN_WORDS) or place in ("beach", "sky")),
            skyline=has_any(text, SKYLINE_WORDS), scene=scene))
    return choices

PALETTES = {  # (top colour, bottom colour, ground colour)
    "sky": ((120, 180, 235), (215, 235, 250), (110, 170, 90)),
    "beach": ((100, 175, 235), (200, 230, 250), (235, 215, 160)),
    "forest": ((140, 190, 220), (200, 225, 215), (70, 120, 60)),
    "city": ((150, 170, 200), (220, 215, 210), (110, 110, 115)),
    "street": ((170, 190, 215), (230, 225, 215), (120, 118, 120)),
    "room": ((225, 205, 180), (240, 225, 205), (150, 110, 80)),
}


def has_any(words: str, keys) -> bool:
    """English keys match at a word start ("street" is not "tree"); Chinese keys match anywhere."""
    return any(re.search(r"\b" + re.escape(key), words) if key.isascii() else key in words for key in keys)


def choose_place(words: str) -> str:
    return named_place(words) or "sky"


def paint_set(choice: SetChoice, width: int, height: int, rng: np.random.Generator) -> Image.Image:
    """An RGB set for a scene, width x height, deterministic for the generator's seed."""
    place, night = choice.place, choice.night
    top, bottom, ground = PALETTES[place]
    if night:
        top, bottom, ground = (8, 14, 45), (30, 40, 90), tuple(c // 3 for c in ground)
    horizon = 0.72 if place != "room" else 0.78
    image = Image.fromarray(_gradient(width, height, top, bottom, ground, horizon))
    draw = ImageDraw.Draw(image)
    if place != "room":
        if night:
            _stars(draw, width, height * horizon, rng)
            _disc(draw, width * rng.uniform(0.6, 0.85), height * 0.16, height * 0.06, (245, 240, 210))
        elif choice.sun:
            _disc(draw, width * rng.uniform(0.15, 0.35), height * 0.15, height * 0.07, (255, 230, 140))
    {"beach": _waves, "forest": _trees, "city": _buildings, "street": _buildings, "room": _room}.get(
        place, lambda *a: None)(draw, width, height, horizon, rng, night)
    if choice.window:
        _window(image, width, height, night, choice.skyline, rng)
    return image.filter(ImageFilter.GaussianBlur(1.2))  # a painted look, and it hides aliasing


def _gradient(width, height, top, bottom, ground, horizon):
    rows = np.linspace(0.0, 1.0, height, dtype=np.float32)[:, None]
    sky = np.asarray(top, np.float32) * (1 - rows) + np.asarray(bottom, np.float32) * rows
    sky[int(height * horizon):] = np.asarray(ground, np.float32) * (
        1 - 0.25 * rows[int(height * horizon):])
    return np.broadcast_to(sky[:, None, :], (height, width, 3)).astype(np.uint8)


def _disc(draw, x, y, r, colour):
    draw.ellipse((x - r, y - r, x + r, y + r), fill=colour)


def _stars(draw, width, max_y, rng):
    for x, y, r in zip(rng.uniform(0, width, 90), rng.uniform(0, max_y * 0.9, 90), rng.uniform(0.6, 2.0, 90)):
        draw.ellipse((x - r, y - r, x + r, y + r), fill=(255, 255, 230))


def _waves(draw, width, height, horizon, rng, night):
    sea = (30, 60, 110) if night else (40, 120, 190)
    draw.rectangle((0, height * (horizon - 0.12), width, height * horizon), fill=sea)
    for y in np.linspace(height * (horizon - 0.11), height * horizon, 5):
        for x in rng.uniform(0, width, 12):
            draw.arc((x, y - 4, x + 40, y + 6), 200, 340, fill=(200, 225, 245), width=2)


def _trees(draw, width, height, horizon, rng, night):
    base = height * horizon
    for x in np.sort(rng.uniform(0, width, 16)):
        h = height * rng.uniform(0.25, 0.45)
        green = (20, 50, 30) if night else (int(rng.integers(30, 70)), int(rng.integers(100, 150)), 50)
        draw.rectangle((x - 5, base - h * 0.3, x + 5, base + 4), fill=(80, 55, 35))
        draw.polygon([(x, base - h), (x - h * 0.3, base - h * 0.2), (x + h * 0.3, base - h * 0.2)], fill=green)


def _buildings(draw, width, height, horizon, rng, night):
    base, x = height * horizon, 0.0
    while x < width:
        w, h = width * rng.uniform(0.06, 0.12), height * rng.uniform(0.25, 0.6)
        shade = int(rng.integers(60, 120)) // (3 if night else 1)
        draw.rectangle((x, base - h, x + w - 3, base), fill=(shade, shade, shade + 15))
        lit = (250, 220, 120) if night else (190, 215, 235)
        for wy in np.arange(base - h + 10, base - 12, 18):
            for wx in np.arange(x + 6, x + w - 12, 14):
                if rng.random() < (0.45 if night else 0.9):
                    draw.rectangle((wx, wy, wx + 6, wy + 9), fill=lit)
        x += w


def _room(draw, width, height, horizon, rng, night):
    floor = height * horizon
    draw.line((0, floor, width, floor), fill=(110, 80, 60), width=4)
    x = width * rng.uniform(0.05, 0.2)  # a picture frame and a lamp make it read as a room
    draw.rectangle((x, height * 0.2, x + width * 0.12, height * 0.36), outline=(120, 90, 60), width=5,
                   fill=(180, 200, 190))
    lx = width * rng.uniform(0.75, 0.9)
    draw.line((lx, floor, lx, floor - height * 0.35), fill=(60, 50, 40), width=4)
    draw.polygon([(lx - 30, floor - height * 0.35), (lx + 30, floor - height * 0.35), (lx, floor - height * 0.45)],
                 fill=(250, 230, 160) if night else (230, 200, 150))


def _window(image, width, height, night, skyline, rng):
    draw = ImageDraw.Draw(image)
    left, top, right, bottom = width * 0.58, height * 0.12, width * 0.86, height * 0.55
    draw.rectangle((left, top, right, bottom), fill=(20, 30, 70) if night else (170, 215, 245))
    if night:
        draw.ellipse((right - 50, top + 15, right - 25, top + 40), fill=(245, 240, 210))
    if skyline:  # a city seen through the glass: a row of towers, lit at night
        x = left
        while x < right:
            w, h = (right - left) * rng.uniform(0.08, 0.16), (bottom - top) * rng.uniform(0.2, 0.55)
            draw.rectangle((x, bottom - h, min(x + w - 2, right), bottom), fill=(45, 45, 70) if night else (120, 130, 150))
            for wy in np.arange(bottom - h + 5, bottom - 5, 9):
                for wx in np.arange(x + 3, min(x + w - 5, right - 4), 7):
                    if rng.random() < 0.4:
                        draw.rectangle((wx, wy, wx + 2, wy + 3), fill=(250, 215, 120) if night else (200, 220, 235))
            x += w
    frame = (245, 240, 230) if not night else (120, 110, 100)
    draw.rectangle((left, top, right, bottom), outline=frame, width=10)
    draw.line(((left + right) / 2, top, (left + right) / 2, bottom), fill=frame, width=7)
    draw.line((left, (top + bottom) / 2, right, (top + bottom) / 2), fill=frame, width=7)
