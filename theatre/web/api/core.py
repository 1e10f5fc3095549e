"""The API's frame: the NinjaAPI object, token authentication, the rate limits as throttles, a
JSON parser that refuses numbers JSON cannot carry, and one error shape for every refusal:
{"error": "a sentence", "code": "a stable word", "errors": {"field": ["…"]}} (errors only where
fields are at fault). Handlers here turn the domain's exceptions into that shape, so the
endpoint modules only say what they do."""
import functools
import json
import logging
import math
import threading

from django.core.exceptions import BadRequest, SuspiciousOperation
from django.http import Http404, JsonResponse, UnreadablePostError
from django.http.multipartparser import MultiPartParserError
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError
from ninja.parser import Parser
from ninja.renderers import JSONRenderer
from ninja.security import APIKeyHeader
from ninja.throttling import BaseThrottle

from accounts.models import ApiToken
from theatre.script.errors import ScriptError
from theatre.services import limits
from theatre.services.avatars import clip_size_limit_mb
from theatre.services.casting import CastingError, RenderLimitReached
from theatre.services.sharing import SharingError
from theatre.services.webhooks import WebhookRefused

log = logging.getLogger(__name__)

DESCRIPTION = """The same actions as the site, for programs: make avatars, start films from a
template or from a free-form prompt (Chinese or English: 镜头一，… @卡尔 …), edit their shots and
cast, render, cancel and retry, swap yourself into a film you may see, share, take down, and be
called back when a render is done.

Authenticate with a personal token (make one at /accounts/api-token/): `Authorization: Token …`.
Every refusal is JSON: `{"error": "…", "code": "…"}`, plus `"errors": {"field": ["…"]}` when
fields are at fault. Lists take `limit` and `offset` and say `count`, `next` and `previous`."""


class TokenAuth(APIKeyHeader):
    """`Authorization: Token …` (or `Bearer …`); never the session cookie, so no CSRF either."""

    param_name = "Authorization"

    def authenticate(self, request, key):
        scheme, _sep, token = (key or "").partition(" ")
        if scheme.lower() not in {"token", "bearer"} or not token.strip():
            return None
        api_token = ApiToken.objects.select_related("user").filter(digest=ApiToken.digest_of(token.strip())).first()
        if api_token is None or not api_token.user.is_active:
            return None
        ApiToken.objects.filter(pk=api_token.pk).update(last_used=timezone.now())
        request.user = api_token.user
        return api_token.user


class SiteRateLimit(BaseThrottle):
    """The site's own rate limit `name` (theatre.services.limits), counted per user and address
    before the request's fields are even read, as the site counts an invalid form too."""

    _waits = threading.local()

    def __init__(self, name):
        self.name = name

    def allow_request(self, request):
        try:
            limits.check_rate(self.name, request)
        except limits.LimitReached as error:
            request.rate_limit_error = error
            self._waits.seconds = error.retry_after
            return False
        return True

    def wait(self):
        return getattr(self._waits, "seconds", None)


class StrictJsonParser(Parser):
    """JSON bodies, refusing what JSON cannot carry faithfully: NaN, Infinity, and numbers too big
    for a double (1e400 would become infinity)."""

    def parse_body(self, request):
        if request.content_type in ("multipart/form-data", "application/x-www-form-urlencoded"):
            # A bare POST from a form library (or Django's test client) carries an empty form: no
            # fields, the same as no body. Fields sent that way are refused with the reason.
            if not request.POST and not request.FILES:
                return {}
            raise ValueError("send the fields as JSON, with Content-Type: application/json")

        def finite(text):
            value = float(text)
            if not math.isfinite(value):
                raise ValueError(f"the number {text[:20]} is too large")
            return value

        def constant(name):
            raise ValueError(f"{name} is not a JSON number")

        return json.loads(request.body, parse_float=finite, parse_constant=constant)


class Utf8JSONRenderer(JSONRenderer):
    """Chinese titles and prompts as themselves, not as \\u escapes (the error responses too)."""

    json_dumps_params = {"ensure_ascii": False}


def error_body(message, code, errors=None):
    body = {"error": str(message), "code": code}
    if errors:
        body["errors"] = errors
    return body


def error_response(message, code, status, errors=None):
    return JsonResponse(error_body(message, code, errors), status=status, json_dumps_params={"ensure_ascii": False})


api = NinjaAPI(
    title="AI Little Theatre API", version="1", description=DESCRIPTION, urls_namespace="api",
    auth=TokenAuth(), parser=StrictJsonParser(), renderer=Utf8JSONRenderer(),
)


def _field(loc):
    # ("body", "payload", "cast", "detective") -> "cast.detective"; ("query", "limit") -> "limit"
    parts = [str(p) for p in loc[1:]]
    if loc and loc[0] == "body" and len(parts) > 1:
        parts = parts[1:]
    return ".".join(parts) or "body"


@api.exception_handler(ValidationError)
def _invalid(request, exc):
    errors = {}
    if getattr(request, "upload_too_large", False):  # the upload handler stopped reading the clip
        errors["clip"] = [_("The clip is too big: the limit is %(mb)d MB. A 2–5 s clip is plenty.") % {"mb": clip_size_limit_mb()}]
    for error in exc.errors:
        message = error.get("msg", "invalid")
        if error.get("type") == "missing":
            message = _("This field is required.")
        errors.setdefault(_field(error.get("loc", ())), []).append(message)
    names = ", ".join(errors)
    return error_response(_("Some fields are missing or not valid: %(fields)s.") % {"fields": names}, "invalid", 400, errors)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request, exc):
    return error_response(_("A valid API token is required (Authorization: Token …)."), "unauthorized", 401)


@api.exception_handler(Throttled)
def _throttled(request, exc):
    error = getattr(request, "rate_limit_error", None)
    return error_response(error or _("Too many requests."), "rate_limited", 429)


@api.exception_handler(HttpError)
def _http_error(request, exc):
    if exc.status_code == 400 and exc.__cause__ is not None:  # the body could not be parsed
        return error_response(_("The body must be a JSON object: %(reason)s.") % {"reason": exc.__cause__}, "bad_json", 400)
    return error_response(exc.message, getattr(exc, "code", "error"), exc.status_code)


class Conflict(HttpError):
    """The request is fine but the film is in a state where it cannot be done (409)."""

    code = "conflict"

    def __init__(self, message):
        super().__init__(409, str(message))


@api.exception_handler(Http404)
def _not_found(request, exc):
    return error_response(_("Not found."), "not_found", 404)


@api.exception_handler(ScriptError)
def _script_error(request, exc):
    return error_response(exc, exc.code, 400)


@api.exception_handler(CastingError)
def _casting_error(request, exc):
    if isinstance(exc, RenderLimitReached):
        return error_response(exc, "render_limit", 429)
    return error_response(exc, "casting", 400)


@api.exception_handler(SharingError)
def _sharing_error(request, exc):
    return error_response(exc, "sharing", 400)


@api.exception_handler(WebhookRefused)
def _webhook_refused(request, exc):
    return error_response(exc, "webhook", 400, {"webhook_url": [str(exc)]})


def unreadable_request(request, exc):
    """A request body Django cannot read: a broken multipart upload, too many fields, too big."""
    return error_response(_("The request could not be read (%(reason)s). Send JSON, or a well-formed "
                            "multipart/form-data upload.") % {"reason": str(exc) or type(exc).__name__},
                          "bad_request", 400)


for _kind in (MultiPartParserError, SuspiciousOperation, BadRequest, UnreadablePostError):
    api.add_exception_handler(_kind, unreadable_request)


@api.exception_handler(Exception)
def _server_error(request, exc):
    # Never a 500 by design; if one happens anyway, the client still gets JSON, and we get the trace.
    log.exception("API error on %s %s", request.method, request.path)
    return error_response(_("Something went wrong on our side; it has been logged. Please try again."), "server_error", 500)


def unknown_route(request):
    """Anything under /api/ that is not an endpoint: JSON, and a hint when only the slash is missing."""
    try:
        missing_slash = resolve(request.path + "/").url_name != "unknown"
    except Resolver404:
        missing_slash = False
    hint = _(" Paths end with a slash: %(path)s/") % {"path": request.path} if missing_slash else ""
    return error_response(_("No such API endpoint.") + hint, "not_found", 404)


unknown_route.csrf_exempt = True


def json_errors(view):
    """Wraps a URL pattern's view so an error answered outside ninja's handlers (its 405 for a
    method the path does not take) is the API's error JSON too, keeping its headers (Allow)."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if response.status_code >= 400 and not response.get("Content-Type", "").startswith("application/json"):
            code = "method_not_allowed" if response.status_code == 405 else "error"
            replacement = error_response(response.reason_phrase, code, response.status_code)
            for header in ("Allow", "Retry-After"):
                if header in response:
                    replacement[header] = response[header]
            return replacement
        return response

    wrapper.csrf_exempt = True
    return wrapper
