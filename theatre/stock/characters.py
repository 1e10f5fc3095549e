"""The project's own stock characters, drawn in code with Pillow (flat, cheerful, nobody's likeness):
four reference frames each (poses and expressions), the character alone (crop) and a 3:4 poster."""
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable

from PIL import Image

from .drawing import INK, Pen, face, fit_font, limb, on_background

FRAME_SIZE = 512
POSTER_SIZE = (480, 640)


@dataclass(frozen=True)
class Pose:
    expression: str  # smile, talk, wink, surprised
    left: float  # arm angles: 0 down, 90 sideways, 180 up
    right: float
    lift: float  # negative: a little jump


POSES = [Pose("smile", 25, 25, 0), Pose("talk", 25, 150, 0), Pose("wink", 150, 150, -18), Pose("surprised", 75, 75, 8)]


def _arms(pen, pose, y, shoulders, spread, length, width, color, hand, hand_radius):
    """Both arms from shoulders at (256 -/+ spread, shoulders); returns the two hand points."""
    left = limb(pen, 256 - spread, shoulders + y, -pose.left, length, width, color, hand, hand_radius)
    right = limb(pen, 256 + spread, shoulders + y, pose.right, length, width, color, hand, hand_radius)
    return left, right


def draw_robot(pen, pose):
    y = pose.lift
    for side in (-1, 1):
        pen.rect((256 + side * 40 - 14, 380 + y, 256 + side * 40 + 14, 455 + y), "#7d8aa3", 6)
        pen.rect((256 + side * 40 - 28, 448 + y, 256 + side * 40 + 28, 472 + y), "#4a5568", 10)
    _arms(pen, pose, y, 272, 80, 92, 22, "#9aa7bd", "#f2b134", 17)
    pen.rect((166, 240 + y, 346, 392 + y), "#5b8def", 30)
    pen.rect((206, 282 + y, 306, 342 + y), "#dfe8f7", 12)
    for n, color in enumerate(["#f25f5c", "#ffe066", "#70c1b3"]):
        pen.dot(228 + n * 28, 312 + y, 9, color)
    pen.line([(256, 118 + y), (256, 82 + y)], "#4a5568", 6)
    pen.dot(256, 76 + y, 13, "#f25f5c")
    pen.rect((176, 110 + y, 336, 242 + y), "#9aa7bd", 32)
    pen.rect((196, 130 + y, 316, 222 + y), "#203047", 22)
    face(pen, 256, 166 + y, 100, pose.expression, ink="#7cf5d0", cheeks=False)


def draw_cat(pen, pose):
    y, fur, cream, pink = pose.lift, "#f4a259", "#fff1dc", "#f7a1b0"
    pen.line([(320, 430 + y), (385, 415 + y), (415, 360 + y), (400 + pose.right / 10, 305 + y)], fur, 24)
    pen.ellipse((176, 300 + y, 336, 462 + y), fur)
    pen.ellipse((211, 340 + y, 301, 452 + y), cream)
    for side in (-1, 1):
        pen.ellipse((256 + side * 50 - 26, 440 + y, 256 + side * 50 + 26, 470 + y), cream)
    _arms(pen, pose, y, 345, 42, 62, 30, fur, cream, 17)
    for side in (-1, 1):
        pen.polygon([(256 + side * 78, 175 + y), (256 + side * 64, 92 + y), (256 + side * 14, 140 + y)], fur)
        pen.polygon([(256 + side * 68, 160 + y), (256 + side * 60, 112 + y), (256 + side * 32, 140 + y)], pink)
    pen.ellipse((166, 128 + y, 346, 300 + y), fur)
    for dx in (-22, 0, 22):
        pen.line([(256 + dx, 134 + y), (256 + dx, 156 + y)], "#d9823b", 7)
    face(pen, 256, 212 + y, 110, pose.expression)
    pen.polygon([(246, 232 + y), (266, 232 + y), (256, 242 + y)], pink)
    for side in (-1, 1):
        for dy in (-6, 8):
            pen.line([(256 + side * 46, 240 + y), (256 + side * 96, 236 + y + dy * 1.5)], INK, 2)


def draw_knight(pen, pose):
    y, steel, skin = pose.lift, "#b8c4d6", "#f7d2b6"
    for side in (-1, 1):
        pen.rect((256 + side * 38 - 17, 390 + y, 256 + side * 38 + 17, 458 + y), "#8d99ae", 8)
        pen.rect((256 + side * 38 - 26, 448 + y, 256 + side * 38 + 26, 472 + y), "#5c677d", 10)
    left, right = _arms(pen, pose, y, 275, 74, 88, 26, steel, "#8d99ae", 16)
    sx, sy = right
    pen.line([(sx, sy), (sx + 10, sy - 120)], "#e9ecef", 10)
    pen.line([(sx - 24, sy - 8), (sx + 26, sy - 12)], "#c9a227", 9)
    pen.rect((186, 250 + y, 326, 402 + y), steel, 34)
    pen.rect((220, 262 + y, 292, 398 + y), "#3d5a98", 14)
    pen.rect((250, 280 + y, 262, 360 + y), "#f2c14e", 4)
    pen.rect((226, 306 + y, 286, 318 + y), "#f2c14e", 4)
    lx, ly = left
    pen.rect((lx - 42, ly - 52, lx + 38, ly + 50), "#3d5a98", 26, outline="#f2c14e", width=6)
    pen.polygon([(230, 60 + y), (282, 60 + y), (300, 100 + y), (256, 112 + y)], "#e63946")
    pen.ellipse((171, 88 + y, 341, 262 + y), steel)
    pen.rect((204, 140 + y, 308, 238 + y), skin, 34)
    face(pen, 256, 178 + y, 92, pose.expression)


def draw_grandmother(pen, pose):
    y, skin, hair = pose.lift, "#f3c9a8", "#d9d9e0"
    for side in (-1, 1):
        pen.rect((256 + side * 30 - 12, 430 + y, 256 + side * 30 + 12, 460 + y), skin, 6)
        pen.rect((256 + side * 32 - 24, 452 + y, 256 + side * 32 + 22, 472 + y), "#6d4c41", 10)
    pen.polygon([(196, 352 + y), (316, 352 + y), (340, 446 + y), (172, 446 + y)], "#7b6cb5")
    _arms(pen, pose, y, 272, 64, 84, 26, "#e07a9a", skin, 15)
    pen.rect((196, 248 + y, 316, 372 + y), "#e07a9a", 40)
    for n in range(3):
        pen.dot(256, 282 + n * 28 + y, 6, "#fff3b0")
    pen.ellipse((178, 96 + y, 334, 206 + y), hair)
    pen.ellipse((226, 52 + y, 286, 110 + y), hair)
    pen.ellipse((192, 122 + y, 320, 256 + y), skin)
    pen.ellipse((196, 110 + y, 316, 160 + y), hair)
    face(pen, 256, 192 + y, 96, pose.expression)
    for side in (-1, 1):
        pen.ellipse((256 + side * 35 - 19, 173 + y, 256 + side * 35 + 19, 211 + y), None, outline="#8a5a44", width=4)
    pen.line([(248, 190 + y), (264, 190 + y)], "#8a5a44", 4)


def draw_dragon(pen, pose):
    y, scale, belly, wing = pose.lift, "#5cb85c", "#f6e27f", "#3e8e41"
    pen.line([(320, 430 + y), (400, 436 + y), (436, 394 + y)], scale, 30)
    pen.polygon([(426, 380 + y), (462, 372 + y), (446, 408 + y)], "#f28c28")
    for side in (-1, 1):
        pen.polygon([(256 + side * 50, 270 + y), (256 + side * 160, 170 + y - pose.left / 6),
                     (256 + side * 140, 270 + y), (256 + side * 150, 320 + y), (256 + side * 50, 330 + y)], wing)
    pen.ellipse((181, 252 + y, 331, 462 + y), scale)
    pen.ellipse((211, 292 + y, 301, 452 + y), belly)
    for side in (-1, 1):
        pen.ellipse((256 + side * 52 - 30, 440 + y, 256 + side * 52 + 30, 472 + y), scale)
    _arms(pen, pose, y, 310, 60, 56, 24, scale, belly, 12)
    for side in (-1, 1):
        pen.polygon([(256 + side * 40, 118 + y), (256 + side * 70, 58 + y), (256 + side * 68, 128 + y)], "#f2c14e")
    pen.ellipse((171, 100 + y, 341, 262 + y), scale)
    pen.ellipse((206, 186 + y, 306, 256 + y), "#8fd18f")
    face(pen, 256, 164 + y, 100, pose.expression)
    for side in (-1, 1):
        pen.dot(256 + side * 16, 198 + y, 5, wing)


def draw_astronaut(pen, pose):
    y, suit, skin = pose.lift, "#f1f3f7", "#c98f65"
    pen.rect((180, 228 + y, 332, 382 + y), "#a0a8b8", 26)
    for side in (-1, 1):
        pen.rect((256 + side * 40 - 20, 386 + y, 256 + side * 40 + 20, 452 + y), suit, 10, outline="#c5cbd6", width=3)
        pen.rect((256 + side * 40 - 28, 446 + y, 256 + side * 40 + 28, 472 + y), "#5c677d", 10)
    _arms(pen, pose, y, 272, 76, 88, 30, suit, "#f28c28", 18)
    pen.rect((191, 240 + y, 321, 404 + y), suit, 38, outline="#c5cbd6", width=3)
    pen.rect((222, 282 + y, 290, 330 + y), "#dfe3ea", 10)
    for n, color in enumerate(["#e63946", "#f2c14e", "#4dabf7"]):
        pen.dot(236 + n * 20, 306 + y, 7, color)
    pen.ellipse((166, 80 + y, 346, 262 + y), suit, outline="#c5cbd6", width=3)
    pen.ellipse((190, 108 + y, 322, 238 + y), "#9fd3ff")
    pen.ellipse((206, 118 + y, 306, 232 + y), skin)
    pen.ellipse((204, 110 + y, 308, 150 + y), "#3b2a20")
    face(pen, 256, 174 + y, 88, pose.expression)
    pen.arc((196, 114 + y, 316, 234 + y), 200, 250, "#ffffff", 6)


@dataclass(frozen=True, eq=False)  # hashed by identity, so layer() can cache per character
class StockCharacter:
    stock_key: str
    names: dict  # {"en": ..., "zh-hans": ...}; Avatar.name stores the English one
    kind: str
    description: str
    voice_preset: str
    background: str
    draw: Callable

    @property
    def name(self):
        return self.names["en"]


CHARACTERS = [
    StockCharacter("robot", {"en": "Robot Bolt", "zh-hans": "机器人波尔特"}, "cartoon",
                   "a friendly blue robot with a screen face, an antenna and yellow hands", "robot", "#e8f1fb", draw_robot),
    StockCharacter("cat", {"en": "Mochi the Cat", "zh-hans": "小猫麻薯"}, "pet",
                   "a round orange tabby cat with cream paws", "cat", "#fdf1e4", draw_cat),
    StockCharacter("knight", {"en": "Sir Pip the Knight", "zh-hans": "骑士皮普"}, "cartoon",
                   "a small knight in silver armour with a red plume, a blue shield and a sword", "knight", "#eef0f7", draw_knight),
    StockCharacter("grandmother", {"en": "Grandma Rose", "zh-hans": "玫瑰奶奶"}, "person",
                   "a cheerful grandmother with a grey bun, round glasses and a pink cardigan", "grandmother", "#fbeef3", draw_grandmother),
    StockCharacter("dragon", {"en": "Ember the Dragon", "zh-hans": "小龙焰焰"}, "cartoon",
                   "a little green dragon with a yellow belly, golden horns and small wings", "dragon", "#eef8ea", draw_dragon),
    StockCharacter("astronaut", {"en": "Astronaut Nova", "zh-hans": "宇航员诺娃"}, "person",
                   "an astronaut in a white suit with orange gloves and a round glass helmet", "astronaut", "#e9eefb", draw_astronaut),
]
BY_KEY = {character.stock_key: character for character in CHARACTERS}


@lru_cache(maxsize=64)
def layer(character, pose=POSES[0]):
    """The character alone on a transparent 512x512 layer (cached: frames, crop, poster and the
    template posters all start from it; callers must not draw on it)."""
    pen = Pen(FRAME_SIZE, FRAME_SIZE)
    character.draw(pen, pose)
    return pen.finish()


def reference_frames(character):
    """Four distinct 512x512 frames (one per pose) on the character's plain light background."""
    return [on_background(layer(character, pose), character.background) for pose in POSES]


def crop(character, margin=12):
    """(the first pose cut out on transparency, its box as fractions [left, top, right, bottom])."""
    image = layer(character)
    left, top, right, bottom = image.getchannel("A").point(lambda a: 255 if a > 24 else 0).getbbox()
    box = (max(0, left - margin), max(0, top - margin), min(FRAME_SIZE, right + margin), min(FRAME_SIZE, bottom + margin))
    return image.crop(box), [round(v / FRAME_SIZE, 4) for v in box]


def poster(character):
    """A 3:4 card: the character large on its background, its two names underneath."""
    width, height = POSTER_SIZE
    card = Image.new("RGBA", POSTER_SIZE, character.background)
    figure = layer(character).resize((width, width), Image.LANCZOS)
    card.alpha_composite(figure, (0, 30))
    pen = Pen(width, height)
    pen.text((width / 2, 540), character.names["en"], fit_font(character.names["en"], width - 40, 44), INK)
    pen.text((width / 2, 596), character.names["zh-hans"], fit_font(character.names["zh-hans"], width - 40, 36), "#5c677d")
    card.alpha_composite(pen.finish())
    return card.convert("RGB")
