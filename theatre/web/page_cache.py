"""The one page that can go viral: a film's share link opened by logged-out visitors (a chat
app's preview, then everyone in the group). Their page is the same for all of them, so its HTML
is kept in the cache for a short while, per link and language. The link is still checked and the
view still counted on every visit, in the view, before this (theatre/views/films.py; the check
comes from sharing.active_link_ids, which every change made through Django refreshes); a revoked
link stops at once. What the cache lags by is the view count and names shown (SHARED_PAGE_SECONDS).

Only the CSRF token (the language picker's form) differs between visitors: the page is cached
with a slot in its place, and each visitor's own token is written into the slot on the way out."""
import hashlib

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.crypto import salted_hmac
from django.utils.translation import get_language


def _csrf_slot():
    # The same in every web process (a page cached by one is served by another), and derived from
    # the secret key, so no film title or name can contain it.
    return "csrf-slot-" + salted_hmac("theatre.page_cache", "csrf-slot").hexdigest()[:32]


def same_for_every_visitor(request, key, template_name, make_context):
    """The rendered template, from the cache when a visitor had it in the last few seconds;
    `make_context()` (the queries behind the page) runs only when the page is rendered."""
    if request.GET or len(get_messages(request)):
        # A query string or a message waiting for this visitor: render this one afresh.
        return HttpResponse(render_to_string(template_name, make_context(), request))
    slot = _csrf_slot()
    # Hashed: the key may hold a secret (a share link's token), and Redis need not learn it.
    cache_key = f"page:{hashlib.sha256(key.encode()).hexdigest()[:32]}:{get_language()}"
    html = cache.get(cache_key)
    if html is None:
        html = render_to_string(template_name, {**make_context(), "csrf_token": slot}, request)
        cache.set(cache_key, html, settings.SHARED_PAGE_SECONDS)
    return HttpResponse(html.replace(slot, get_token(request)))
