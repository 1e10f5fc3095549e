"""The home page: your recent films, friends' finished films and the template gallery; a sign-up call for visitors."""
from django.shortcuts import render

from theatre.services.access import films_owned_by, friends_feed
from theatre.services.scripts import gallery

FEED_SIZE = 12
RECENT_SIZE = 4


def home(request):
    feed = recent = ()
    if request.user.is_authenticated:
        recent = films_owned_by(request.user).order_by("-created")[:RECENT_SIZE]
        feed = friends_feed(request.user).select_related("owner__profile")[:FEED_SIZE]
    return render(request, "theatre/home.html", {"templates": gallery(request.LANGUAGE_CODE)[:8], "feed": feed, "recent": recent})
