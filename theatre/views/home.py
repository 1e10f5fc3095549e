"""The home page: friends' finished films and the template gallery; a sign-up call for visitors."""
from django.shortcuts import render

from theatre.access import visible_films
from theatre.models import Film, Script

FEED_SIZE = 12


def home(request):
    templates = Script.objects.filter(is_template=True, language=_gallery_language(request))[:8]
    feed = ()
    if request.user.is_authenticated:
        feed = (
            visible_films(request.user)
            .filter(status=Film.Status.DONE, taken_down=False)
            .exclude(owner=request.user)
            .select_related("owner__profile")
            .order_by("-rendered_at", "-created")[:FEED_SIZE]
        )
    return render(request, "theatre/home.html", {"templates": templates, "feed": feed})


def _gallery_language(request):
    return "zh-hans" if (request.LANGUAGE_CODE or "").startswith("zh") else "en"
