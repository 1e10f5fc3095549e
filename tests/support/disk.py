"""A nearly full disk, for the storage fault tests."""
import os


def fill(folder, leave_bytes):
    """Writes a filler file until only about leave_bytes are free on folder's file system."""
    stats = os.statvfs(folder)
    free = stats.f_bavail * stats.f_frsize
    with open(folder / "filler.bin", "wb") as filler:
        filler.write(b"\0" * max(0, free - leave_bytes))
