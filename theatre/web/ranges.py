"""Sends a private file after the view has checked permission: a redirect to a short-lived signed
URL on S3-compatible storage, an X-Accel-Redirect / X-Sendfile header for a front web server, or a
streamed response with HTTP Range support (so video players can seek)."""
import mimetypes
import os
import re
from urllib.parse import quote

from django.conf import settings
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect

RANGE_RE = re.compile(r"^bytes=(\d*)-(\d*)$")
CHUNK = 64 * 1024


class Unsatisfiable(Exception):
    pass


def parse_range(header, size):
    """(start, end) inclusive for a single-range header, None to send the whole file.

    Several ranges, or a header we do not understand, get the whole file: RFC 9110 lets a server
    ignore Range, and players only ever ask for one. Raises Unsatisfiable for a range outside the file.
    """
    if not header:
        return None
    match = RANGE_RE.match(header.strip().replace(" ", ""))
    if not match:
        return None
    first, last = match.groups()
    if not first and not last:
        return None
    if not first:  # suffix: the last N bytes
        length = int(last)
        if length == 0 or size == 0:
            raise Unsatisfiable
        return max(size - length, 0), size - 1
    start = int(first)
    if last and int(last) < start:
        return None  # invalid syntax: ignore the header
    if start >= size:
        raise Unsatisfiable
    return start, min(int(last), size - 1) if last else size - 1


class _Slice:
    """A file object that reads only `length` bytes from where it stands."""

    def __init__(self, file, length):
        self.file, self.remaining = file, length

    def read(self, size=-1):
        if self.remaining <= 0:
            return b""
        size = self.remaining if size is None or size < 0 else min(size, self.remaining)
        data = self.file.read(size)
        self.remaining -= len(data)
        return data

    def close(self):
        self.file.close()


def serve_file(request, field_file, *, download_name=None, content_type=None):
    """The response for a FieldFile the caller has already checked the user may have."""
    if not field_file:
        raise Http404
    storage, name = field_file.storage, field_file.name
    content_type = content_type or mimetypes.guess_type(name)[0] or "application/octet-stream"
    try:
        path = storage.path(name)
    except NotImplementedError:
        # Remote storage (S3): its URL is signed and expires in minutes, so it can be handed out.
        params = {}
        if download_name:
            params["ResponseContentDisposition"] = f"attachment; filename*=UTF-8''{quote(download_name)}"
        try:
            url = storage.url(name, parameters=params) if params else storage.url(name)
        except TypeError:
            url = storage.url(name)
        return _private(HttpResponseRedirect(url))
    if not os.path.isfile(path):
        raise Http404

    if settings.MEDIA_SENDFILE:
        response = HttpResponse(content_type=content_type)
        if settings.MEDIA_SENDFILE == "x-accel-redirect":
            # nginx maps this internal location onto MEDIA_ROOT; it does the ranges itself.
            response["X-Accel-Redirect"] = settings.MEDIA_SENDFILE_PREFIX.rstrip("/") + "/" + quote(name)
        else:
            response["X-Sendfile"] = path
        _disposition(response, download_name)
        return _private(response)

    size = os.path.getsize(path)
    try:
        byte_range = None if request.headers.get("If-Range") else parse_range(request.headers.get("Range"), size)
    except Unsatisfiable:
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
        response["Accept-Ranges"] = "bytes"
        return _private(response)

    file = open(path, "rb")
    if byte_range is None:
        response = FileResponse(file, content_type=content_type)
        response["Content-Length"] = str(size)
    else:
        start, end = byte_range
        file.seek(start)
        response = FileResponse(_Slice(file, end - start + 1), status=206, content_type=content_type)
        response["Content-Length"] = str(end - start + 1)
        response["Content-Range"] = f"bytes {start}-{end}/{size}"
    response["Accept-Ranges"] = "bytes"
    _disposition(response, download_name)
    return _private(response)


def _disposition(response, download_name):
    if download_name:
        ascii_name = download_name.encode("ascii", "ignore").decode() or "film.mp4"
        response["Content-Disposition"] = f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(download_name)}"


def _private(response):
    # Private files must never sit in a shared cache; a browser may keep them for a few minutes.
    response["Cache-Control"] = "private, max-age=300"
    response["Vary"] = "Cookie"
    return response
