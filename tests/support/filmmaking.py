"""Builds films and avatars as rows, with a real tiny H.264+AAC MP4 and a JPEG poster, for the
sharing and watching tests. Media goes to a temporary folder per test."""
import functools
import io
import shutil
import tempfile
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
from django.core.files.base import ContentFile
from PIL import Image

from theatre.models import Avatar, AvatarFrame, AvatarUseRequest, CastMember, Film, Role, Script, Shot

WIDTH, HEIGHT = 320, 240


@functools.lru_cache(maxsize=None)
def mp4_bytes(seconds=2.0, fps=12):
    """A playable MP4: H.264 video with a moving bar and an AAC tone, moov atom first."""
    # faststart rewrites the file to put the index first (players start sooner), so it needs a real file.
    path = Path(tempfile.mkdtemp()) / "film.mp4"
    with av.open(str(path), mode="w", options={"movflags": "+faststart"}) as container:
        video = container.add_stream("libx264", rate=fps)
        video.width, video.height, video.pix_fmt = WIDTH, HEIGHT, "yuv420p"
        video.options = {"preset": "ultrafast"}
        audio = container.add_stream("aac", rate=44100)
        audio.layout = "mono"
        frames = int(seconds * fps)
        for i in range(frames):
            image = np.full((HEIGHT, WIDTH, 3), (250, 230, 220), dtype=np.uint8)
            x = int(i / frames * (WIDTH - 40))
            image[80:160, x:x + 40] = (214, 51, 108)
            frame = av.VideoFrame.from_ndarray(image, format="rgb24")
            frame.pts = i
            frame.time_base = Fraction(1, fps)
            for packet in video.encode(frame):
                container.mux(packet)
        for packet in video.encode():
            container.mux(packet)
        samples_per_frame = 1024
        total = int(seconds * 44100)
        t = np.arange(total) / 44100
        tone = (0.2 * np.sin(2 * np.pi * 440 * t)).astype(np.float32)
        for start in range(0, total, samples_per_frame):
            chunk = tone[start:start + samples_per_frame]
            frame = av.AudioFrame.from_ndarray(chunk.reshape(1, -1), format="fltp", layout="mono")
            frame.sample_rate = 44100
            frame.pts = start
            for packet in audio.encode(frame):
                container.mux(packet)
        for packet in audio.encode():
            container.mux(packet)
    data = path.read_bytes()
    shutil.rmtree(path.parent)
    return data


@functools.lru_cache(maxsize=None)
def jpeg_bytes(width=WIDTH, height=HEIGHT, color=(214, 51, 108)):
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), color).save(buffer, "JPEG", quality=80)
    return buffer.getvalue()


def make_script(title="The Balcony"):
    script = Script.objects.create(title=title)
    Role.objects.create(script=script, key="lead", name="Lead", order=0)
    Role.objects.create(script=script, key="friend", name="Friend", order=1)
    return script


def make_story_script(roles=(("hero", "Hero", []), ("sidekick", "Sidekick", [])), shots=None, template=False, owner=None, language="en"):
    """A script with roles and shots (by default @hero and @sidekick on a beach, then a close-up)."""
    script = Script.objects.create(title="Test story", is_template=template, owner=owner, language=language,
                                   template_slug="test-story" if template else "")
    for order, (key, name, kinds) in enumerate(roles):
        Role.objects.create(script=script, key=key, name=name, kinds=list(kinds), order=order)
    keys = [key for key, _n, _k in roles]
    for order, shot in enumerate(shots or [
        {"framing": "wide", "action": " and ".join(f"@{k}" for k in keys) + " meet on a beach", "role_keys": keys,
         "dialogue": [{"role": keys[0], "text": "Hello there!"}], "duration": 3.0},
        {"framing": "close_up", "action": f"@{keys[-1]} smiles", "role_keys": keys[-1:], "dialogue": [], "duration": 2.0},
    ]):
        Shot.objects.create(script=script, order=order, **shot)
    return script


def make_avatar(owner, name="Twin", policy=Avatar.Policy.FRIENDS, stock_key=None, with_files=True, kind="person", **fields):
    """A ready avatar; with_files gives it a poster, crop, clip, voice sample and a chosen frame."""
    avatar = Avatar.objects.create(owner=owner, name=name, policy=policy, stock_key=stock_key, kind=kind,
                                   status=fields.pop("status", Avatar.Status.READY), **fields)
    if with_files:
        avatar.poster.save("poster.jpg", ContentFile(jpeg_bytes()), save=False)
        avatar.crop.save("crop.jpg", ContentFile(jpeg_bytes(96, 96)), save=False)
        avatar.clip.save("clip.mp4", ContentFile(mp4_bytes()), save=False)
        avatar.voice_sample.save("voice.wav", ContentFile(b"RIFF0000WAVEfmt "), save=False)
        avatar.save()
        AvatarFrame.objects.create(avatar=avatar, image=ContentFile(jpeg_bytes(), name="frame.jpg"), chosen=True)
    return avatar


def make_stock(name="Robot", kind="cartoon", key="robot"):
    return make_avatar(None, name=name, kind=kind, stock_key=key, policy=Avatar.Policy.EVERYONE, with_files=False,
                       voice_preset="robot")


def approve(avatar, requester):
    return AvatarUseRequest.objects.create(avatar=avatar, requester=requester, status=AvatarUseRequest.Status.APPROVED)


def make_film(owner, title="Balcony Duet", status=Film.Status.DONE, cast=(), backend="preview", with_files=True, **fields):
    """A film row as the render job would leave it; `cast` is a list of avatars, one per role."""
    script = make_script()
    film = Film.objects.create(owner=owner, script=script, title=title, status=status, backend=backend, duration=2.0, **fields)
    for role, avatar in zip(script.roles.all(), cast):
        CastMember.objects.create(film=film, role=role, avatar=avatar)
    if with_files and status == Film.Status.DONE:
        film.video.save("film.mp4", ContentFile(mp4_bytes()), save=False)
        film.poster.save("poster.jpg", ContentFile(jpeg_bytes()), save=False)
        film.save(update_fields=["video", "poster"])
    return film


def body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content
