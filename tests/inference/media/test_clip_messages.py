"""A refused clip is told in a sentence, never with its internal code, and the sentence quotes the
rule the code applies (issue #18: "not_video: This file…", and "at least 2 s" where 1.5 s passed)."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from inference.media.clip import MAX_SECONDS, MESSAGES, MIN_SECONDS, ClipError, probe_clip
from theatre.models import Avatar

from tests.support.clipmaker import write_clip
from tests.support.uploads import upload


@pytest.mark.parametrize("code", sorted(MESSAGES))
def test_the_message_is_the_sentence_alone(code):
    error = ClipError(code)
    assert not str(error).startswith(code) and ":" not in str(error)[:20]
    assert "%(" not in str(error)


def test_the_too_short_message_quotes_the_rule_the_code_applies(tmp_path):
    assert f"at least {MIN_SECONDS:g} seconds" in str(ClipError("too_short"))
    assert f"under {MAX_SECONDS:g} seconds" in str(ClipError("too_long"))
    just_long_enough = write_clip(tmp_path / "ok.mp4", seconds=MIN_SECONDS + 0.1)
    assert probe_clip(just_long_enough).duration >= MIN_SECONDS  # accepted
    with pytest.raises(ClipError) as refused:
        probe_clip(write_clip(tmp_path / "short.mp4", seconds=MIN_SECONDS - 0.3))
    assert refused.value.code == "too_short" and f"{MIN_SECONDS:g}" in str(refused.value)


def test_the_message_is_in_the_readers_language():
    error = ClipError("too_short")  # raised in one language, shown in another
    with translation.override("zh-hans"):
        assert f"{MIN_SECONDS:g} 秒" in str(error)


def test_the_upload_page_shows_no_internal_code(client, alice, private_media):
    client.force_login(alice)
    page = upload(client, SimpleUploadedFile("me.mp4", b"\x00" * 4000, content_type="video/mp4")).content.decode()
    assert "not a video we can read" in page and "not_video" not in page
    assert not Avatar.objects.exists()
