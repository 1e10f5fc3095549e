"""An upload handler that enforces the size cap while the bytes stream in, not after."""
from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload


class UploadTooLarge(Exception):
    pass


class CappedUploadHandler(FileUploadHandler):
    """Stops reading the request as soon as one file passes AVATAR_CLIP_MAX_BYTES.

    It stores nothing itself; it only counts, so the handlers after it keep the bytes. The
    request is marked so the view can say "too big" instead of "no file".
    """

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > settings.AVATAR_CLIP_MAX_BYTES:
            self.request.upload_too_large = True
            raise StopUpload(connection_reset=False)
        return raw_data

    def file_complete(self, file_size):
        return None
