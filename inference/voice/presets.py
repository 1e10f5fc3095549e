"""Named voices for avatars whose clip had no speech, and for the project's stock characters.

A preset is a small voice profile (the same keys `voice_profile` returns) plus an optional effect
done in numpy. `preset_for` picks one from the avatar's kind and the words of its description.
"""
import re

import numpy as np
from scipy.signal import butter, sosfilt

PRESETS = {
    # median pitch (Hz), pitch range (semitones), speaking rate (syllables/s), spectral tilt, effect
    "robot": {"median_pitch_hz": 120, "pitch_range_semitones": 0.5, "speaking_rate_sps": 3.6, "effect": "robot"},
    "cat": {"median_pitch_hz": 420, "pitch_range_semitones": 9, "speaking_rate_sps": 5.0, "effect": ""},
    "dog": {"median_pitch_hz": 260, "pitch_range_semitones": 7, "speaking_rate_sps": 5.2, "effect": ""},
    "knight": {"median_pitch_hz": 105, "pitch_range_semitones": 5, "speaking_rate_sps": 3.6, "effect": ""},
    "grandmother": {"median_pitch_hz": 190, "pitch_range_semitones": 6, "speaking_rate_sps": 3.2, "effect": "quaver"},
    "dragon": {"median_pitch_hz": 72, "pitch_range_semitones": 4, "speaking_rate_sps": 3.0, "effect": "growl"},
    "astronaut": {"median_pitch_hz": 125, "pitch_range_semitones": 4, "speaking_rate_sps": 4.2, "effect": "radio"},
    "warm_female": {"median_pitch_hz": 205, "pitch_range_semitones": 7, "speaking_rate_sps": 4.2, "effect": ""},
    "bright_male": {"median_pitch_hz": 135, "pitch_range_semitones": 6, "speaking_rate_sps": 4.6, "effect": ""},
    "child": {"median_pitch_hz": 290, "pitch_range_semitones": 8, "speaking_rate_sps": 4.4, "effect": ""},
    "deep": {"median_pitch_hz": 85, "pitch_range_semitones": 4, "speaking_rate_sps": 3.6, "effect": ""},
}

# Checked in this order: specific characters before generic voices ("old woman" is a grandmother,
# "女孩" a child before "女" a woman). English words match whole words; Chinese ones as substrings.
KEYWORDS = [
    ("robot", ["robot", "android", "cyborg", "machine", "droid", "机器人", "机械", "机甲"]),
    ("astronaut", ["astronaut", "spaceman", "cosmonaut", "宇航员", "航天员", "太空人"]),
    ("dragon", ["dragon", "monster", "dinosaur", "beast", "龙", "怪兽", "恐龙", "怪物"]),
    ("knight", ["knight", "warrior", "soldier", "king", "samurai", "骑士", "武士", "战士", "国王", "将军"]),
    ("grandmother", ["grandma", "grandmother", "granny", "old woman", "old lady", "奶奶", "外婆", "姥姥", "老奶奶", "老太太"]),
    ("cat", ["cat", "kitten", "kitty", "猫", "喵", "小猫"]),
    ("dog", ["dog", "puppy", "doggy", "狗", "小狗", "汪"]),
    ("child", ["child", "kid", "boy", "girl", "baby", "toddler", "孩子", "小孩", "男孩", "女孩", "宝宝", "儿童"]),
    ("deep", ["bear", "giant", "ogre", "troll", "grandpa", "grandfather", "熊", "巨人", "爷爷", "外公"]),
    ("warm_female", ["woman", "mother", "mom", "mum", "lady", "female", "she", "her", "sister", "aunt", "女", "妈妈", "姐姐", "阿姨"]),
    ("bright_male", ["man", "father", "dad", "male", "he", "his", "brother", "uncle", "男", "爸爸", "哥哥", "叔叔"]),
]
KIND_DEFAULTS = {"person": "warm_female", "pet": "cat", "cartoon": "child", "object": "robot"}


def _matches(word, text):
    if re.search(r"[\u3400-\u9fff]", word):
        return word in text
    return re.search(rf"\b{re.escape(word)}\b", text) is not None


def preset_for(kind, description=""):
    """The preset name for an avatar of `kind` described by `description` (English or Chinese)."""
    text = (description or "").lower()
    for name, words in KEYWORDS:
        if any(_matches(word, text) for word in words):
            return name
    return KIND_DEFAULTS.get(kind, "warm_female")


def preset_profile(name):
    """A copy of the preset's profile (unknown names get the generic warm voice)."""
    return dict(PRESETS.get(name) or PRESETS["warm_female"])


def apply_effect(samples, rate, effect):
    """The preset's character effect. Each keeps the fundamental, so the voice's pitch still reads."""
    t = np.arange(len(samples)) / rate
    if effect == "robot":
        # A little ring modulation (metallic sidebands) over a short comb filter (tin-can resonance).
        ringed = 0.7 * samples + 0.3 * samples * np.sin(2 * np.pi * 50 * t)
        delay = int(rate * 0.004)
        combed = ringed.copy()
        combed[delay:] += 0.5 * ringed[:-delay]
        return combed.astype(np.float32)
    if effect == "growl":
        # Fast roughness (30 Hz amplitude flutter) and soft saturation, darkened by a low-pass.
        rough = samples * (1 + 0.35 * np.sin(2 * np.pi * 30 * t))
        driven = np.tanh(3 * rough / (np.max(np.abs(rough)) + 1e-9))
        return sosfilt(butter(4, 2500, "low", fs=rate, output="sos"), driven).astype(np.float32)
    if effect == "quaver":
        # An old voice's tremble: slow amplitude wobble around 6 Hz.
        return (samples * (1 + 0.25 * np.sin(2 * np.pi * 6 * t))).astype(np.float32)
    if effect == "radio":
        # Helmet radio: telephone band and a little hiss.
        band = sosfilt(butter(4, [300, 3400], "band", fs=rate, output="sos"), samples)
        hiss = np.random.default_rng(0).standard_normal(len(samples)) * 0.003
        return np.tanh(2 * band + hiss).astype(np.float32)
    return np.asarray(samples, dtype=np.float32)
