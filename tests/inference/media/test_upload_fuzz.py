"""Uploads fuzzed with Hypothesis: random bytes, and small valid clips (made with PyAV) with bits
flipped, cut short, spliced together or junk inserted, go into the validator (probe_clip), the
preparation step (prepare_clip) and the upload view. The only failure allowed is a ClipError (a
readable refusal); nothing crashes, nothing hangs, the view never answers 500.

Each file is checked in a child process the test can kill, so a hang in the decoder (C code that
no signal would interrupt) fails the test after PER_FILE_SECONDS instead of hanging the suite."""
import multiprocessing
import tempfile
import time
import traceback
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import HealthCheck, given, settings as hypothesis_settings, strategies as st

from tests.support.clipmaker import write_clip

PER_FILE_SECONDS = 20  # far below the preparation job's 600 s timeout
EXAMPLES = 35


def _seed_clips():
    folder = Path(tempfile.mkdtemp(prefix="fuzz-seeds-"))
    return [
        write_clip(folder / "a.mp4", size=(96, 72), seconds=2.2, audio="aac").read_bytes(),
        write_clip(folder / "b.webm", size=(96, 72), seconds=2.2, codec="libvpx-vp9", audio="libopus", format="webm").read_bytes(),
    ]


SEEDS = _seed_clips()


@st.composite
def damaged_clips(draw):
    data = bytearray(draw(st.sampled_from(SEEDS)))
    for _ in range(draw(st.integers(0, 3))):
        kind = draw(st.sampled_from(["flip", "truncate", "splice", "junk", "zero_run"]))
        position = draw(st.integers(0, max(0, len(data) - 1)))
        if kind == "flip":
            for offset in draw(st.lists(st.integers(0, 4096), min_size=1, max_size=16)):
                if position + offset < len(data):
                    data[position + offset] ^= 1 << draw(st.integers(0, 7))
        elif kind == "truncate":
            data = data[:position]
        elif kind == "splice":
            other = draw(st.sampled_from(SEEDS))
            data = data[:position] + other[draw(st.integers(0, len(other) - 1)):]
        elif kind == "junk":
            data[position:position] = draw(st.binary(min_size=1, max_size=512))
        else:
            data[position:position + draw(st.integers(1, 2048))] = bytes(draw(st.integers(1, 2048)))
    return bytes(data)


uploads = st.one_of(st.binary(max_size=4096), damaged_clips())


def _checker(connection):
    """Child process: probe and prepare every file it is sent, and say how each ended."""
    from inference.media.clip import ClipError, probe_clip
    from inference.media.ingest import prepare_clip

    while True:
        data = connection.recv()
        with tempfile.NamedTemporaryFile(suffix=".mp4") as upload:
            upload.write(data)
            upload.flush()
            outcome = "accepted"
            try:
                probe_clip(upload.name)
                prepare_clip(upload.name, "pet")
            except ClipError:
                outcome = "refused"
            except Exception:  # noqa: BLE001 - reported to the test, which fails on it
                outcome = "crashed: " + traceback.format_exc()
        connection.send(outcome)


@pytest.fixture(scope="module")
def checker():
    parent, child = multiprocessing.get_context("fork").Pipe()
    process = multiprocessing.get_context("fork").Process(target=_checker, args=(child,), daemon=True)
    process.start()

    def check(data):
        parent.send(data)
        started = time.monotonic()
        if not parent.poll(PER_FILE_SECONDS):
            process.kill()
            pytest.fail(f"a {len(data)}-byte upload hung the validator for over {PER_FILE_SECONDS} s")
        return parent.recv(), time.monotonic() - started

    yield check
    process.kill()
    process.join(timeout=5)


@hypothesis_settings(max_examples=EXAMPLES, deadline=None, database=None,
                     suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=uploads)
def test_a_damaged_or_random_upload_is_refused_or_accepted_never_crashes(checker, data):
    outcome, seconds = checker(data)
    assert not outcome.startswith("crashed"), outcome


@hypothesis_settings(max_examples=15, deadline=None, database=None,
                     suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=uploads)
def test_the_upload_view_never_answers_500_to_a_damaged_clip(client, alice, private_media, settings, checker, data):
    settings.RATE_LIMITS_ENABLED = False
    checker(data)  # first in the killable child: a file that would hang never reaches the view
    client.force_login(alice)
    response = client.post(reverse("theatre:avatar_new"), {
        "name": "Fuzz", "kind": "pet", "description": "", "policy": "approved",
        "clip": SimpleUploadedFile("clip.mp4", data, content_type="video/mp4")})
    assert response.status_code in (200, 302)


def test_the_seed_clips_are_themselves_accepted(checker):
    assert [checker(seed)[0] for seed in SEEDS] == ["accepted", "accepted"]
