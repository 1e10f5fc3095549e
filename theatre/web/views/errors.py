"""The site's answer to a request Django refuses to read (handler400): too many fields, a body
over the size limit, a broken upload. A page that says which limit, in the site's frame, and the
API's error JSON under /api/; never the bare "Bad Request (400)"."""
import logging

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import HttpResponseBadRequest
from django.shortcuts import render
from django.utils.html import escape
from django.utils.translation import gettext as _

log = logging.getLogger(__name__)


def refusal_reason(exception):
    """The sentence for a person: which of Django's request limits was passed, if one was."""
    if isinstance(exception, TooManyFieldsSent):
        return _("The form sent too many fields (this site takes at most %(count)d). Reload the page and "
                 "send it again.") % {"count": settings.DATA_UPLOAD_MAX_NUMBER_FIELDS}
    if isinstance(exception, TooManyFilesSent):
        return _("The form sent too many files (this site takes at most %(count)d at once).") % {
            "count": settings.DATA_UPLOAD_MAX_NUMBER_FILES}
    if isinstance(exception, RequestDataTooBig):
        return _("The form sent more text than this site takes (at most %(kb)d KB besides files).") % {
            "kb": settings.DATA_UPLOAD_MAX_MEMORY_SIZE // 1024}
    return _("The request could not be read. Reload the page and try again.")


def bad_request(request, exception=None):
    reason = refusal_reason(exception)
    if request.path.startswith("/api/"):
        from theatre.web.api.core import error_response

        return error_response(reason, "bad_request", 400)
    try:
        return render(request, "400.html", {"reason": reason}, status=400)
    except Exception:  # a request bad enough to break the page itself (a disallowed host): plain words
        log.warning("the 400 page could not be rendered for %s", request.path, exc_info=True)
        return HttpResponseBadRequest(f"<!doctype html><title>400</title><p>{escape(reason)}</p>")
