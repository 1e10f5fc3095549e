from django.shortcuts import render

from theatre.models import Script


def home(request):
    templates = Script.objects.filter(is_template=True, language=_gallery_language(request))[:8]
    return render(request, "theatre/home.html", {"templates": templates})


def _gallery_language(request):
    return "zh-hans" if (request.LANGUAGE_CODE or "").startswith("zh") else "en"
