"""The home page: your recent films, friends' finished films and the template gallery; a sign-up call for visitors."""
from django.shortcuts import render

from theatre.services.access import visible_films
from theatre.models import Film, Script

FEED_SIZE = 12
RECENT_SIZE = 4


def home(request):
    templates = Script.objects.filter(is_template=True, language=_gallery_language(request)).prefetch_related("roles")[:8]
    feed = recent = ()
    if request.user.is_authenticated:
        recent = Film.objects.filter(owner=request.user).order_by("-created")[:RECENT_SIZE]
        feed = (
            visible_films(request.user)
            .filter(status=Film.Status.DONE, taken_down=False)
            .exclude(owner=request.user)
            .select_related("owner__profile")
            .order_by("-rendered_at", "-created")[:FEED_SIZE]
        )
    return render(request, "theatre/home.html", {"templates": templates, "feed": feed, "recent": recent})


def _gallery_language(request):
    return "zh-hans" if (request.LANGUAGE_CODE or "").startswith("zh") else "en"
