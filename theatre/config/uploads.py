"""An upload handler that enforces the size cap while the bytes stream in, not after."""
from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload


class UploadTooLarge(Exception):
    pass


def upload_cap(request) -> int:
    """The most bytes one uploaded file may have on this request's page: /verify/ takes whole
    films and pictures (VERIFY_MAX_BYTES), every other form takes avatar clips."""
    from django.urls import reverse

    return settings.VERIFY_MAX_BYTES if request.path == reverse("theatre:verify") else settings.AVATAR_CLIP_MAX_BYTES


class CappedUploadHandler(FileUploadHandler):
    """Stops reading the request as soon as one file passes its page's cap (upload_cap).

    It stores nothing itself; it only counts, so the handlers after it keep the bytes. The
    request is marked so the view can say "too big" instead of "no file".
    """

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0
        self.cap = upload_cap(self.request)

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.cap:
            self.request.upload_too_large = True
            raise StopUpload(connection_reset=False)
        return raw_data

    def file_complete(self, file_size):
        return None
