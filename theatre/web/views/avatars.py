"""Avatar pages: the list, creating one (upload or record), its page, adjusting, consent, deleting."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from inference.status import avatar_status
from theatre.services import avatars, consent
from theatre.services.access import (avatars_owned_by, castable_avatars, films_featuring, friends_avatars,
                                     get_avatar_for, stock_avatars)
from theatre.services.limits import rate_limited
from theatre.web.forms import AvatarForm, AvatarSettingsForm, CropForm


def _own_avatar(request, pk):
    return get_avatar_for(request.user, pk, may="own")


@login_required
def avatar_list(request):
    user = request.user
    context = {
        "mine": avatars_owned_by(user),
        "stock": stock_avatars(),
        "friends": friends_avatars(user).select_related("owner__profile"),
        "castable_ids": set(castable_avatars(user).values_list("pk", flat=True)),
    }
    return render(request, "theatre/avatar_list.html", context)


@login_required
@rate_limited("upload")
def avatar_new(request):
    files = request.FILES or None  # parsing the upload first lets the size cap mark the request
    form = AvatarForm(request.POST if request.method == "POST" else None, files, upload_too_large=getattr(request, "upload_too_large", False))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        avatar = avatars.create_avatar(request.user, name=data["name"], kind=data["kind"], description=data["description"],
                                       policy=data["policy"], clip=data["clip"])
        messages.success(request, _("Your clip is in. We are preparing %(name)s now.") % {"name": avatar.name})
        if request.headers.get("Accept") == "application/json":
            return JsonResponse({"id": avatar.pk, "url": avatar.get_absolute_url()}, status=201)
        return redirect(avatar)
    if request.method == "POST" and request.headers.get("Accept") == "application/json":
        return JsonResponse({"errors": {k: [str(e) for e in v] for k, v in form.errors.items()}}, status=400)
    return render(request, "theatre/avatar_new.html", {"form": form, "limit_mb": avatars.clip_size_limit_mb()})


def avatar_detail(request, pk):
    avatar = get_avatar_for(request.user, pk, related=["owner__profile"])
    user = request.user
    is_owner = user.is_authenticated and avatar.owner_id == user.pk
    context = {
        "avatar": avatar,
        "is_owner": is_owner,
        "frames": avatar.frames.all(),
        "can_cast": consent.can_cast(user, avatar),
        "my_request": consent.request_of(avatar, user),
    }
    if is_owner:
        context.update(
            settings_form=AvatarSettingsForm(instance=avatar),
            crop_form=CropForm(initial=dict(zip(["left", "top", "right", "bottom"], avatar.crop_box or [0, 0, 1, 1]))),
            use_requests=consent.open_requests(avatar),
            films=films_featuring(user).filter(cast__avatar=avatar).select_related("owner__profile"),
        )
    return render(request, "theatre/avatar_detail.html", context)


@login_required
def avatar_status_json(request, pk):
    return JsonResponse(avatar_status(_own_avatar(request, pk)))


@login_required
def avatar_voice_preview(request, pk):
    """The avatar's voice saying a short line in the page's language. Its owner's, or a stock
    character's (the project's own, which anyone may cast)."""
    from theatre.services.voice_preview import preview_language, voice_preview_wav

    avatar = get_avatar_for(request.user, pk, may="hear")
    wav = voice_preview_wav(avatar, preview_language(request.LANGUAGE_CODE))
    response = HttpResponse(wav, content_type="audio/wav")
    response["Cache-Control"] = "private, max-age=300"
    return response


@require_POST
@login_required
def avatar_settings(request, pk):
    avatar = _own_avatar(request, pk)
    form = AvatarSettingsForm(request.POST, instance=avatar)
    if form.is_valid():
        form.save()
        messages.success(request, _("Saved."))
    else:
        messages.error(request, _("Please check the fields: %(errors)s") % {"errors": "; ".join(
            f"{form.fields[f].label}: {' '.join(e)}" for f, e in form.errors.items() if f in form.fields)})
    return redirect(avatar)


@require_POST
@login_required
def avatar_retry(request, pk):
    return _act(request, _own_avatar(request, pk), avatars.retry_preparation, _("Trying again."))


@require_POST
@login_required
def avatar_choose_frame(request, pk, frame_id):
    avatar = _own_avatar(request, pk)
    return _act(request, avatar, lambda a: avatars.choose_frame(a, frame_id), _("The avatar now uses that frame."))


@require_POST
@login_required
def avatar_crop(request, pk):
    avatar = _own_avatar(request, pk)
    form = CropForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The crop must be a box inside the picture, not too small."))
        return redirect(avatar)
    return _act(request, avatar, lambda a: avatars.adjust_crop(a, form.box()), _("Crop saved."))


def _act(request, avatar, action, done_message):
    try:
        action(avatar)
    except avatars.AvatarError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, done_message)
    return redirect(avatar)


@login_required
def avatar_delete(request, pk):
    avatar = _own_avatar(request, pk)
    if request.method == "POST":
        name = avatar.name
        avatars.delete_avatar(avatar)
        messages.success(request, _("%(name)s and all its clip, picture and voice data are deleted.") % {"name": name})
        return redirect("theatre:avatars")
    return render(request, "theatre/avatar_delete.html", {"avatar": avatar, "film_count": avatar.castings.count()})


@require_POST
@login_required
def avatar_ask(request, pk):
    avatar = get_avatar_for(request.user, pk)
    try:
        consent.request_use(avatar, request.user)
    except consent.ConsentError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Asked. You can cast %(name)s once its owner approves.") % {"name": avatar.name})
    return redirect(avatar)


@require_POST
@login_required
def use_request_answer(request, request_id, answer):
    actions = {
        "approve": (lambda: consent.answer_request(request.user, request_id, True), _("Approved.")),
        "decline": (lambda: consent.answer_request(request.user, request_id, False), _("Declined.")),
        "revoke": (lambda: consent.revoke(request.user, request_id), _("Revoked: it can no longer be cast or rendered.")),
    }
    if answer not in actions:
        raise Http404
    action, done = actions[answer]
    try:
        use_request = action()
    except consent.ConsentError as error:
        messages.error(request, str(error))
        return redirect("theatre:avatars")
    messages.success(request, done)
    return redirect(use_request.avatar)
