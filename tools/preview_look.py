"""Renders the seed's example prompt with the CPU preview, starring a photo-like avatar clip (the
astronaut photo from scikit-image, swaying and talking over another photo), through the real
preparation (crop, matte) and voice timing, and saves each film's contact sheet to look at.

    python tools/preview_look.py OUT_FOLDER

Writes OUT_FOLDER/{clip.mp4, matte.npz, matte-sheet.png, seed.mp4, seed-sheet.png, speaking.mp4,
speaking-sheet.png}:
"seed" is the prompt as the seed gives it (no dialogue), "speaking" adds a line to its third shot.
"""
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tools")]
SEED = ("镜头一，中景描绘@卡尔背对镜头，站在巴黎公寓的落地窗前俯瞰夜晚的埃菲尔铁塔；镜头二，转为手部特写，拿起一把吉他；"
        "镜头三，人物表情特写，抱着吉他做出深情表情")
LINE = "，@卡尔说：“今晚的巴黎真美，我为你唱一首歌。”"


def talking_person_clip(path):
    """4 s at 25 fps: the person sways and breathes; from 1 s to 3 s the mouth opens and shuts with
    syllables heard on the soundtrack (tests/support/matte_clips.SwayingPortrait, which the matte's
    tests check too)."""
    from tests.support.clipmaker import write_clip
    from tests.support.matte_clips import SwayingPortrait

    scene = SwayingPortrait()
    return write_clip(path, size=scene.size, fps=scene.fps, seconds=scene.seconds, draw=scene, audio="aac",
                      tone=scene.voice)


def film_for(prompt, picture, matte):
    from inference.specs import CastRef, FilmSpec, LineSpec, ShotSpec
    from theatre.script.parser import parse_prompt

    parsed = parse_prompt(prompt)
    key = parsed.roles[0].key
    cast = {key: CastRef(key, "卡尔", "person", "", [picture], picture, matte=matte)}
    shots = [ShotSpec(n, s.framing, s.camera_move, s.action.replace("@", ""), s.role_keys,
                      [LineSpec(d["role"], d["text"], parsed.language) for d in s.dialogue], s.duration)
             for n, s in enumerate(parsed.shots)]
    return FilmSpec(None, parsed.title, 7, shots, cast, language=parsed.language)


def matte_sheet(matte, path, count=12, columns=6):
    """The matte's frames over a checkerboard, evenly picked, its face box outlined: what is cut out."""
    import cv2
    import numpy as np
    from inference.media.matte import on_checkerboard

    tiles = [on_checkerboard(matte.rgba[i]) for i in np.linspace(0, len(matte.rgba) - 1, count).round().astype(int)]
    if matte.face_box:
        for tile in tiles:
            cv2.rectangle(tile, tuple(matte.face_box[:2]), tuple(matte.face_box[2:]), (255, 0, 0), 1)
    rows = [np.concatenate(tiles[i:i + columns], axis=1) for i in range(0, count, columns)]
    cv2.imwrite(str(path), cv2.cvtColor(np.concatenate(rows, axis=0), cv2.COLOR_RGB2BGR))
    return path


def main(out: Path):
    from contact_sheet import contact_sheet
    from inference.backends.preview import PreviewBackend
    from inference.media.assemble import write_film
    from inference.media.ingest import clip_matte, prepare_clip
    from inference.media.matte import save_matte
    from inference.voice.base import get_voice_backend
    from inference.voice.timing import plan_film_audio

    out.mkdir(parents=True, exist_ok=True)
    clip = talking_person_clip(out / "clip.mp4")
    prepared = prepare_clip(clip, "person")
    prepared.crop.save(out / "crop.png")
    matte = clip_matte(clip, prepared.window, prepared.crop_box)
    with open(out / "matte.npz", "wb") as handle:
        save_matte(matte, handle)
    print(matte_sheet(matte, out / "matte-sheet.png"))
    for name, prompt in (("seed", SEED), ("speaking", SEED + LINE)):
        film = film_for(prompt, out / "crop.png", out / "matte.npz")
        audio = plan_film_audio(film.shots, film.cast, get_voice_backend(), fps=film.fps)
        for shot, duration in zip(film.shots, audio.shot_durations):
            shot.duration = duration
        write_film(film, PreviewBackend(), out / f"{name}.mp4", audio=audio.track, audio_rate=audio.rate,
                   loudness=audio.loudness)
        print(contact_sheet(out / f"{name}.mp4", out / f"{name}-sheet.png", columns=6, frames=30, tile_width=284))


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "theatre.config.settings")
    import django

    django.setup()
    main(Path(sys.argv[1]))
