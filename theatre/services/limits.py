"""Limits that keep one person (or one script) from taking the site for themselves: rate limits on
sign-up, log-in, uploads and render requests, and caps on the renders one user has running at once
and per day. Counters live in the Django cache (Redis), so every web process shares them.

The settings RATE_LIMITS, RATE_LIMITS_ENABLED, RENDERS_AT_ONCE and RENDERS_PER_DAY set the numbers."""
import functools
import time

from django.conf import settings
from django.core.cache import cache
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

KEY_PREFIX = "ratelimit"


class LimitReached(Exception):
    """A limit is used up; the message is for the person who hit it."""

    def __init__(self, message, retry_after=None):
        super().__init__(message)
        self.retry_after = retry_after


def client_address(request):
    # Behind a proxy, Daphne runs with --proxy-headers (PROXY_HEADERS=true) and puts the address
    # from X-Forwarded-For here; trusting that header without a proxy would let anyone pick one.
    return request.META.get("REMOTE_ADDR") or "unknown"


def _hit(name, who, count, seconds):
    """Counts one hit in a fixed window; returns the seconds until the window ends when over."""
    window = int(time.time() // seconds)
    key = f"{KEY_PREFIX}:{name}:{who}:{window}"
    cache.add(key, 0, timeout=seconds + 1)
    if cache.incr(key) > count:
        return int((window + 1) * seconds - time.time()) + 1
    return None


def check_rate(name, request):
    """Counts this request against the named limit, per address and per user; raises LimitReached."""
    if not settings.RATE_LIMITS_ENABLED:
        return
    count, seconds = settings.RATE_LIMITS[name]
    whos = [f"ip:{client_address(request)}"]
    if getattr(request, "user", None) is not None and request.user.is_authenticated:
        whos.append(f"user:{request.user.pk}")
    waits = [wait for who in whos if (wait := _hit(name, who, count, seconds)) is not None]
    if waits:
        wait = max(waits)
        raise LimitReached(_("That was a lot of requests in a short time. Please wait %(minutes)s minute(s) and try again.")
                           % {"minutes": max(1, round(wait / 60))}, retry_after=wait)


def too_many(request, error):
    if request.path.startswith("/api/") or request.headers.get("Accept") == "application/json":
        response = JsonResponse({"error": str(error)}, status=429)
    else:
        response = render(request, "too_many.html", {"reason": str(error)}, status=429)
    if error.retry_after:
        response["Retry-After"] = str(error.retry_after)
    return response


def rate_limited(name, methods=("POST",)):
    """View decorator: counts the view's POSTs against the named limit and answers 429 when over."""
    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.method in methods:
                try:
                    check_rate(name, request)
                except LimitReached as error:
                    return too_many(request, error)
            return view(request, *args, **kwargs)
        return wrapper
    return decorator


def reset_rate_limits():
    """Forgets every rate-limit counter (for tests, and for an operator after a false alarm)."""
    cache.delete_pattern(f"{KEY_PREFIX}:*")


# --- renders -------------------------------------------------------------------------------------

def _day_key(user):
    return f"{KEY_PREFIX}:renders-today:{user.pk}:{int(time.time() // 86400)}"


def hold_render_caps(user):
    """Makes this transaction the only one that may check and count `user`'s renders until it
    ends. Call it inside transaction.atomic(), before check_render_allowed, and count the render
    in the same transaction.

    Without it two requests at the same instant both count "one film rendering", both pass a cap
    of two, and both queue: the check and the count are two statements, and nothing kept another
    request from counting in between (six requests at once let three through). The lock is on the
    user's own row, so it queues one person's render requests and nobody else's:
    - Postgres: SELECT ... FOR NO KEY UPDATE. Not FOR UPDATE: inserting a film takes FOR KEY SHARE
      on its owner's row (the foreign key), which FOR UPDATE would wait on, so two requests that
      had each inserted a draft (the API makes the film and renders it in one transaction) would
      deadlock; NO KEY UPDATE still excludes itself. Postgres re-reads the count after the wait
      (READ COMMITTED takes a new snapshot per statement), so it sees the film just queued.
    - SQLite ignores FOR UPDATE, and needs no row lock: settings open every transaction with
      BEGIN IMMEDIATE, which takes the database's write lock at once, so transactions that count
      run one after another. What matters there is that the count runs inside that transaction,
      not before it.
    A Redis lock would do on both, but adds a lock that can expire mid-request and a second
    system that must be up; the database already orders these writes."""
    from django.contrib.auth import get_user_model
    from django.db import connection

    no_key = connection.features.has_select_for_no_key_update
    list(get_user_model().objects.select_for_update(no_key=no_key).filter(pk=user.pk).values_list("pk", flat=True))


def check_render_allowed(user):
    """Raises LimitReached when the user already has RENDERS_AT_ONCE films queued or rendering, or
    has asked for RENDERS_PER_DAY renders today (UTC day). It only holds against requests at the
    same instant inside a transaction that called hold_render_caps first."""
    from theatre.models import Film

    running = Film.objects.filter(owner=user, status__in=[Film.Status.QUEUED, Film.Status.RENDERING]).count()
    if running >= settings.RENDERS_AT_ONCE:
        raise LimitReached(_("You already have %(count)s films rendering. Wait for one to finish, then render this one.")
                           % {"count": running})
    if (cache.get(_day_key(user)) or 0) >= settings.RENDERS_PER_DAY:
        raise LimitReached(_("You have rendered %(count)s films today, the daily limit. Come back tomorrow!")
                           % {"count": settings.RENDERS_PER_DAY})


def count_render(user):
    """Counts a render against today's cap; call it before the transaction of hold_render_caps
    ends, so the next request of the same user sees it."""
    key = _day_key(user)
    cache.add(key, 0, timeout=86400 + 60)
    cache.incr(key)
