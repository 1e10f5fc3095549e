"""build_film_spec hands the renderers each cast avatar's matte clip, copied next to its picture."""
import io

import numpy as np
from django.core.files.base import ContentFile

from inference.backends.preview import PreviewBackend
from inference.film_spec import build_film_spec
from inference.media.matte import load_matte, save_matte
from theatre.models import Avatar, CastMember, Film
from tests.support.filmmaking import make_avatar, make_story_script
from tests.support.render_fixtures import stock_clip


def matte_bytes(clip):
    buffer = io.BytesIO()
    save_matte(clip, buffer)
    return buffer.getvalue()


def test_each_cast_avatar_brings_its_matte_and_one_without_falls_back(alice, private_media, tmp_path):
    clip = stock_clip(frames=12)
    hero = make_avatar(alice, name="Ann", policy=Avatar.Policy.ONLY_ME)
    hero.matte.save("matte.npz", ContentFile(matte_bytes(clip)))
    sidekick = make_avatar(alice, name="Bo", policy=Avatar.Policy.ONLY_ME)  # prepared before mattes: none
    script = make_story_script()
    film = Film.objects.create(owner=alice, script=script, title="Beach", status=Film.Status.DRAFT)
    for role, avatar in zip(script.roles.all(), (hero, sidekick)):
        CastMember.objects.create(film=film, role=role, avatar=avatar)
    spec = build_film_spec(film, tmp_path / "work")
    matte = spec.cast["hero"].matte
    assert matte is not None and matte.is_relative_to(tmp_path / "work")  # a copy: workers have no storage path
    with open(matte, "rb") as handle:
        assert load_matte(handle).rgba.shape == clip.rgba.shape
    assert spec.cast["sidekick"].matte is None and spec.cast["sidekick"].crop is not None
    spec.width, spec.height = 160, 90
    frames = list(PreviewBackend().render_shot(spec, spec.shots[0]))
    assert len(frames) == round(spec.shots[0].duration * spec.fps)
    assert not np.array_equal(frames[0], frames[len(frames) // 2])


def test_a_speaking_avatar_brings_the_window_its_preparation_chose(alice, private_media, tmp_path):
    """The window stored at preparation is the one h3 cuts the video reference from; an avatar
    prepared before windows were stored gets one inferred from its frames and voice sample."""
    speaking = {"has_speech": True, "duration": 2.0}
    stored = make_avatar(alice, name="Ann", policy=Avatar.Policy.ONLY_ME, voice_profile=speaking,
                         clip_window=[1.25, 3.75])
    older = make_avatar(alice, name="Bo", policy=Avatar.Policy.ONLY_ME, voice_profile=speaking)
    older.frames.update(time=2.0)
    script = make_story_script()
    film = Film.objects.create(owner=alice, script=script, title="Beach", status=Film.Status.DRAFT)
    for role, avatar in zip(script.roles.all(), (stored, older)):
        CastMember.objects.create(film=film, role=role, avatar=avatar)
    spec = build_film_spec(film, tmp_path / "work")
    assert spec.cast["hero"].clip_window == (1.25, 3.75)
    assert spec.cast["sidekick"].clip_window == (1.75, 3.75)  # 0.25 s before its frame, as long as its voice
    assert spec.cast["hero"].clip.is_relative_to(tmp_path / "work")
