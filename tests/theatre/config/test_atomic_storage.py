"""Local media storage writes each file under a temporary name and links it into place only when
complete: a write that fails leaves nothing behind, and two saves of one name get two names."""
import errno

import pytest
from django.core.files.base import ContentFile, File

from theatre.config.storage import AtomicFileSystemStorage


class DiskFillsUp(File):
    """Content whose second chunk fails as a full disk would (raised by the reading side here,
    since the test's disk is not full; the storage sees the same OSError mid-write)."""

    def __init__(self):
        super().__init__(None, name="film.mp4")
        self.size = 2 * 64 * 1024

    def chunks(self, chunk_size=None):
        yield b"x" * 64 * 1024
        raise OSError(errno.ENOSPC, "No space left on device")

    def seek(self, position):
        pass


def test_a_failed_write_leaves_no_file_at_all(tmp_path):
    storage = AtomicFileSystemStorage(location=tmp_path)
    with pytest.raises(OSError):
        storage.save("films/film-1.mp4", DiskFillsUp())
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []


def test_a_complete_write_lands_under_its_name_and_leaves_no_temporary_file(tmp_path):
    storage = AtomicFileSystemStorage(location=tmp_path)
    first = storage.save("films/film-1.mp4", ContentFile(b"one"))
    second = storage.save("films/film-1.mp4", ContentFile(b"two"))
    assert first == "films/film-1.mp4" and second != first
    assert (storage.open(first).read(), storage.open(second).read()) == (b"one", b"two")
    assert sorted(p.name for p in (tmp_path / "films").iterdir()) == sorted([first.split("/")[1], second.split("/")[1]])
