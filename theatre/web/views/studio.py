"""Making a film: the template gallery, a film from a template or a free prompt, the storyboard and
cast editor, the render button, live status, and the one-click role swap."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from inference.status import film_status_with_queue
from theatre.models import Avatar, Film
from theatre.services import casting, sharing
from theatre.services.access import avatars_owned_by, castable_avatars, get_film_for, get_template_for
from theatre.services.limits import rate_limited
from theatre.services.scripts import gallery
from theatre.web.studio_forms import CastForm, PromptForm, ShotFormSet, SwapForm


def template_gallery(request):
    return render(request, "theatre/template_gallery.html", {"templates": gallery(request.LANGUAGE_CODE)})


def template_poster(request, pk):
    """Template posters are the project's own public artwork, unlike users' media."""
    script = get_template_for(request.user, pk)
    if not script.poster:
        raise Http404
    return FileResponse(script.poster.open("rb"), content_type="image/jpeg" if script.poster.name.endswith(".jpg") else "image/png")


@require_POST
@login_required
def film_from_template(request, pk):
    template = get_template_for(request.user, pk)
    film = casting.start_film(request.user, template)
    messages.success(request, _("Your draft is ready. Cast each role, then render."))
    return redirect("theatre:film_edit", pk=film.pk)


@login_required
def film_from_prompt(request):
    from theatre.script.parser import ScriptError

    form = PromptForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            film = casting.start_film_from_prompt(request.user, form.cleaned_data["prompt"])
        except ScriptError as error:
            form.add_error("prompt", str(error))
        else:
            messages.success(request, _("Here is your storyboard: check each shot, cast the roles, then render."))
            return redirect("theatre:film_edit", pk=film.pk)
    return render(request, "theatre/film_from_prompt.html", {"form": form})


def _own_film(request, pk):
    return get_film_for(request.user, pk, may="own", related=["script"])


@login_required
def film_edit(request, pk):
    from theatre.script.parser import ScriptError
    from theatre.services.scripts import validate_script

    film = _own_film(request, pk)
    if film.status not in (Film.Status.DRAFT, Film.Status.FAILED):
        return redirect(film)
    # A POST binds the formset even when empty (`request.POST or None` would answer it with the
    # blank page and no word): it is then refused for its missing management form.
    shots = ShotFormSet(request.POST if request.method == "POST" else None, queryset=film.script.shots.all(), script=film.script, prefix="shots")
    if request.method == "POST" and shots.is_valid():
        try:
            with transaction.atomic():
                shots.save()
                validate_script(film.script)
        except ScriptError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Storyboard saved."))
            return redirect("theatre:film_edit", pk=film.pk)
    return render(request, "theatre/film_edit.html", {
        "film": film, "shots": shots, "cast_forms": _cast_forms(film, request.user),
        "missing": casting.uncast_roles(film), "duration": sum(s.duration for s in film.script.shots.all()),
        "speaking_notice": casting.speaking_stars_notice(film),
    })


def _cast_forms(film, user):
    current = {m.role_id: m.avatar_id for m in film.cast.all()}
    allowed = castable_avatars(user).select_related("owner__profile")
    return [(role, CastForm(role=role, avatars=allowed, initial={"avatar": current.get(role.pk)}, prefix=f"role-{role.pk}"))
            for role in film.script.roles.all()]


@require_POST
@login_required
def film_cast(request, pk, role_key):
    film = _own_film(request, pk)
    role = film.script.roles.filter(key=role_key).first()
    if role is None:
        raise Http404
    form = CastForm(request.POST, role=role, avatars=castable_avatars(request.user), prefix=f"role-{role.pk}")
    if not form.is_valid():
        messages.error(request, _("Pick an avatar for %(role)s.") % {"role": role.name})
        return redirect("theatre:film_edit", pk=film.pk)
    try:
        avatar = casting.cast_role(film, request.user, role.key, form.cleaned_data["avatar"].pk)
    except casting.CastingError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("%(avatar)s plays %(role)s.") % {"avatar": avatar.name, "role": role.name})
    return redirect("theatre:film_edit", pk=film.pk)


@require_POST
@login_required
@rate_limited("render")
def film_render(request, pk):
    from theatre.script.parser import ScriptError

    film = _own_film(request, pk)
    try:
        casting.request_render(film, request.user)
    except (casting.CastingError, ScriptError) as error:
        messages.error(request, str(error))
        return redirect("theatre:film_edit", pk=film.pk)
    return redirect(film)


@login_required
def film_status_json(request, pk):
    return JsonResponse(film_status_with_queue(_own_film(request, pk)))


def swap(request, pk):
    """'Swap me in' on a film the user may see, or one opened through a share link."""
    if not request.user.is_authenticated:
        return redirect(f"{reverse('accounts:login')}?next={request.get_full_path()}")
    film = _swappable_film(request, pk)
    mine = avatars_owned_by(request.user).filter(status=Avatar.Status.READY)
    form = SwapForm(request.POST if request.method == "POST" else None, film=film, avatars=mine)
    if request.method == "POST" and form.is_valid():
        try:
            remix = casting.swap_me_in(film, request.user, form.cleaned_data["role"], form.cleaned_data["avatar"].pk)
        except casting.CastingError as error:
            form.add_error(None, str(error))
        else:
            if not casting.uncast_roles(remix):
                try:
                    casting.request_render(remix, request.user)
                except casting.RenderLimitReached as error:  # the remix is saved as a draft to render later
                    messages.error(request, str(error))
                    return redirect("theatre:film_edit", pk=remix.pk)
                messages.success(request, _("You're in! Your remix is rendering."))
                return redirect(remix)
            messages.info(request, _("You're in. Cast the remaining roles, then render."))
            return redirect("theatre:film_edit", pk=remix.pk)
    return render(request, "theatre/swap.html", {"film": film, "form": form, "has_avatar": mine.exists()})


def _swappable_film(request, pk):
    # "via" carries the share token from the shared page, so a visitor who logged in on the way
    # still reaches the film they were watching.
    via = request.GET.get("via") or request.POST.get("via")
    tokens = ([via] if via else []) + sharing.opened_links(request.session)
    return get_film_for(request.user, pk, may="remix", related=["script"], share_tokens=tokens)
