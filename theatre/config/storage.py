"""Local media storage that never leaves a half-written file under a real name.

Django's FileSystemStorage writes straight to the final path, so a full disk half-way through a
film leaves a truncated MP4 where a player (or a later save) could find it. This one writes to a
hidden temporary name in the same folder, removes it when writing fails, and links it to the final
name only when it is complete (os.link fails instead of overwriting, like the O_EXCL open Django
uses, so two saves of the same name still get distinct names)."""
import os
import uuid

from django.core.files.storage import FileSystemStorage


class AtomicFileSystemStorage(FileSystemStorage):
    def _save(self, name, content):
        folder = os.path.dirname(name)
        partial = os.path.join(folder, f".{uuid.uuid4().hex}.partial")  # unique, so Django keeps it as is
        try:
            partial = super()._save(partial, content)
        except BaseException:
            try:
                os.unlink(self.path(partial))
            except FileNotFoundError:
                pass
            raise
        partial_path = self.path(partial)
        try:
            while True:
                name = self.get_available_name(name)
                try:
                    os.link(partial_path, self.path(name))
                    return name
                except FileExistsError:  # another save took the name meanwhile: pick the next one
                    continue
        finally:
            os.unlink(partial_path)
