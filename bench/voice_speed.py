"""How fast the default voice backend speaks: seconds of speech per second of wall time.

Run: `python bench/voice_speed.py`. Prints the full backend's figure (espeak-ng plus pitch shift,
EQ and effects) and espeak-ng alone on the same lines in the same run, and their ratio.
"""
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from inference.specs import CastRef  # noqa: E402
from inference.voice.espeak import EspeakBackend, run_espeak  # noqa: E402

LINES = [
    ("en", "Good morning! Did you sleep well last night?"),
    ("en", "Quick, grab the map, the dragon is waking up."),
    ("en", "I told you the cake was a bad idea."),
    ("en", "Look at the stars, they are brighter than ever tonight."),
    ("zh", "早上好！你昨晚睡得好吗？"),
    ("zh", "快拿地图，龙要醒过来了。"),
    ("zh", "我早就说过做蛋糕不是个好主意。"),
    ("zh", "你看天上的星星，今晚特别亮。"),
]
VOICES = [
    CastRef("a", "A", "person", "", [], None, voice_profile={"has_speech": True, "median_pitch_hz": 210,
            "pitch_range_semitones": 6, "speaking_rate_sps": 4.5, "spectral_tilt_db_per_octave": -6}),
    CastRef("b", "B", "person", "", [], None, voice_profile={"has_speech": True, "median_pitch_hz": 95,
            "pitch_range_semitones": 4, "speaking_rate_sps": 4.0}),
    CastRef("c", "C", "object", "a robot", [], None, voice_preset="robot"),
]


def measure(speak, rounds=3):
    audio_seconds, start = 0.0, time.perf_counter()
    for _ in range(rounds):
        for language, text in LINES:
            for voice in VOICES:
                samples, rate = speak(text, language, voice)
                audio_seconds += len(samples) / rate
    return audio_seconds, time.perf_counter() - start


def main():
    backend = EspeakBackend()
    backend.synthesize(*LINES[0][::-1], VOICES[0])  # warm up caches and imports
    speech, wall = measure(backend.synthesize)
    raw_speech, raw_wall = measure(lambda text, language, voice: run_espeak(text, language))
    full, raw = speech / wall, raw_speech / raw_wall
    print(f"default backend: {speech:.1f} s of speech in {wall:.2f} s = {full:.1f} s of speech per second")
    print(f"espeak-ng alone: {raw_speech:.1f} s of speech in {raw_wall:.2f} s = {raw:.1f} s of speech per second")
    print(f"post-processing keeps {full / raw:.2f}x of espeak-ng's speed ({raw / full:.1f}x slower)")


if __name__ == "__main__":
    main()
