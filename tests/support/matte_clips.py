"""Clips whose subject is known to the pixel, for the matte tests: a stock character (drawn with
its alpha) moving over a real photograph from scikit-image, and a talking head made from
scikit-image's astronaut portrait with a hand-held camera's drift."""
from __future__ import annotations

import cv2
import numpy as np
from PIL import Image

FPS = 15


class StockOverPhoto:
    """`draw` for clipmaker.write_clip; `mask(time)` is the character's own alpha > 0.5 there."""

    def __init__(self, stock_key, photo, size=(640, 360), side=330, sweep=150, bob=12, seconds=3.0):
        from theatre.stock import characters

        self.size, self.side, self.sweep, self.bob, self.seconds = size, side, sweep, bob, seconds
        self.photo = cv2.resize(photo, size, interpolation=cv2.INTER_AREA).astype(np.float32)
        layer = np.asarray(characters.layer(characters.BY_KEY[stock_key]).resize((side, side), Image.LANCZOS))
        self.colour, self.alpha = layer[..., :3].astype(np.float32), layer[..., 3:].astype(np.float32) / 255.0

    def place(self, time):
        width, height = self.size
        phase = time / self.seconds
        x = int(width / 2 - self.side / 2 + self.sweep * np.sin(2 * np.pi * phase))
        y = int(height - self.side - self.bob + self.bob * np.sin(4 * np.pi * phase))
        return x, y

    def __call__(self, index, time, width, height):
        x, y = self.place(time)
        frame = self.photo.copy()
        part = frame[y: y + self.side, x: x + self.side]
        frame[y: y + self.side, x: x + self.side] = part * (1 - self.alpha) + self.colour * self.alpha
        return np.clip(frame + 0.5, 0, 255).astype(np.uint8)

    def mask(self, time):
        x, y = self.place(time)
        out = np.zeros(self.size[::-1], bool)
        out[y: y + self.side, x: x + self.side] = self.alpha[..., 0] > 0.5
        return out


def talking_head(index, time, width, height):
    """The astronaut's portrait seen through a slowly drifting hand-held camera (420x460)."""
    dx = 56 + 6 * np.sin(2 * np.pi * time / 3)
    dy = 20 + 4 * np.sin(2 * np.pi * time / 2)
    matrix = np.float32([[1, 0, -dx], [0, 1, -dy]])
    return cv2.warpAffine(_astronaut(), matrix, (width, height), flags=cv2.INTER_LINEAR)


_PORTRAIT = []


def _astronaut():
    if not _PORTRAIT:
        from skimage.data import astronaut

        _PORTRAIT.append(astronaut())
    return _PORTRAIT[0]


def speaking_head(index, time, width, height):
    """The drifting portrait with a mouth that flaps (4 times a second) from 1.5 s on."""
    frame = talking_head(index, time, width, height).copy()
    dx = 56 + 6 * np.sin(2 * np.pi * time / 3)
    dy = 20 + 4 * np.sin(2 * np.pi * time / 2)
    if time >= 1.5 and np.sin(2 * np.pi * 4 * time) > 0:
        centre = (int(round(228 - dx)), int(round(146 - dy)))  # her mouth in the portrait
        cv2.ellipse(frame, centre, (16, 7), 0, 0, 360, (90, 20, 30), -1)
    return frame


class SwayingPortrait:
    """`draw` for clipmaker.write_clip (480x360, 25 fps, 4 s): the astronaut's photo, backdrop and
    all, scaled to 300x300, swaying and breathing over the coffee photo, its mouth opening and
    shutting from 1 s to 3 s. The figure barely moves against its own backdrop, which moves with
    it: what a steadied median takes for background. tools/preview_look.py stars it."""

    size, fps, seconds, side = (480, 360), 25, 4.0, 300

    def __init__(self):
        from skimage.data import astronaut, coffee

        self.person = cv2.resize(astronaut(), (self.side, self.side), interpolation=cv2.INTER_AREA)
        self.backdrop = cv2.resize(coffee(), self.size, interpolation=cv2.INTER_AREA)

    @staticmethod
    def place(time):
        """Top-left corner of the photo in the frame at `time`."""
        return int(90 + 12 * np.sin(2 * np.pi * time / 2.5)), int(60 + 4 * np.sin(2 * np.pi * time / 1.3))

    def __call__(self, index, time, width, height):
        image, figure = self.backdrop.copy(), self.person.copy()
        x, y = self.place(time)
        if 1.0 <= time < 3.0:
            opening = max(0.0, np.sin(2 * np.pi * 3 * time))
            mouth = cv2.resize(figure[118:140, 112:160], (48, int(22 + 8 * opening)))
            figure[118:118 + mouth.shape[0], 112:160] = (mouth * (1 - 0.35 * opening)).astype(np.uint8)
        image[y:y + self.side, x:x + self.side] = figure[:min(self.side, height - y)]
        return image

    @staticmethod
    def voice(t):
        """Syllables (3 a second) on a 180 Hz tone while the mouth moves."""
        speaking = (t >= 1.0) & (t < 3.0)
        return np.where(speaking, 0.3 * np.maximum(0, np.sin(2 * np.pi * 3 * t)) * np.sin(2 * np.pi * 180 * t), 0.0)
