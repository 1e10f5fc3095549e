"""/verify/: anyone, logged in or not, checks a file's Content Credentials and AIGC label, by
uploading it or by pasting the address of a film here."""
from urllib.parse import urlsplit

from django.conf import settings
from django.shortcuts import render

from theatre.services import verification
from theatre.services.limits import LimitReached, check_rate, too_many
from theatre.web.forms import VerifyForm


def verify(request):
    limit_mb = settings.VERIFY_MAX_BYTES // (1024 * 1024)
    asked = request.method == "POST" or bool(request.GET.get("url"))  # the watch page links with ?url=
    form = VerifyForm(request.POST if request.method == "POST" else (request.GET if asked else None),
                      request.FILES or None, upload_too_large=getattr(request, "upload_too_large", False),
                      limit_mb=limit_mb)
    verdict = None
    if asked:
        try:
            check_rate("verify", request)
        except LimitReached as error:
            return too_many(request, error)
        if form.is_valid():
            verdict = _check(request, form)
    return render(request, "theatre/verify.html", {
        "form": form, "verdict": verdict, "limit_mb": limit_mb,
        "aigc_rows": verification.aigc_rows(verdict.aigc) if verdict else [],
    })


def _check(request, form):
    if form.cleaned_data["file"]:
        return verification.check_file(form.cleaned_data["file"], request.user)
    hosts = {request.get_host(), urlsplit(settings.SITE_URL).netloc}
    try:
        return verification.check_address(request.user, form.cleaned_data["url"], hosts=hosts)
    except verification.CheckRefused as error:
        form.add_error("url", str(error))
        return None
