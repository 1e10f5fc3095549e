"""The "Log-in paused" answer to a locked-out log-in (django-axes' AXES_LOCKOUT_CALLABLE): the page
says for about how long, and Retry-After says it in seconds, as the site's other 429s do."""
import math

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_cool_off
from django.shortcuts import render
from django.utils import timezone


def seconds_left(request, credentials=None):
    """Seconds until the lockout on this request's username and address ends: the cool-off counts
    from the last failure that counted (failures while locked out do not extend it)."""
    cool_off = get_cool_off(request)
    if cool_off is None:
        return None  # locked until an operator lifts it
    attempts = AxesProxyHandler.get_implementation().get_user_attempts(request, credentials)
    last = max((a.attempt_time for queryset in attempts for a in queryset.only("attempt_time")), default=None)
    ends = (last or timezone.now()) + cool_off
    return max(1, math.ceil((ends - timezone.now()).total_seconds()))


def lockout_response(request, original_response=None, credentials=None):
    seconds = seconds_left(request, credentials)
    minutes = math.ceil(seconds / 60) if seconds else None
    response = render(request, "accounts/locked_out.html", {"minutes": minutes}, status=429)
    if seconds:
        response["Retry-After"] = str(seconds)
    return response
