from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError, transaction
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from theatre.services.limits import rate_limited

from . import friends
from .forms import FindFriendForm, ProfileForm, SignUpForm
from .models import ApiToken, FriendRequest, Profile

User = get_user_model()


@rate_limited("signup")
def signup(request):
    if request.user.is_authenticated:
        return redirect("theatre:home")
    form = SignUpForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            # The user and the profile, or neither. The form checked the handle is free, but two
            # sign-ups with the same handle at the same instant both pass that check: the unique
            # constraints refuse the second, which gets the form's own message instead of an error page.
            with transaction.atomic():
                user = form.save()
        except IntegrityError:
            form.add_error("handle", _("The handle @%(handle)s is taken. Try another.") % {"handle": form.cleaned_data["handle"]})
            return render(request, "accounts/signup.html", {"form": form})
        login(request, user, backend="accounts.backends.ProfileBackend")
        messages.success(request, _("Welcome, %(name)s! Make your first avatar to star in a film.") % {"name": user.profile.display_name})
        return redirect(_safe_next(request) or "theatre:avatar_new")
    return render(request, "accounts/signup.html", {"form": form})


def _safe_next(request):
    target = request.GET.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return None


@login_required
def edit_profile(request):
    posted = request.method == "POST"  # an empty POST is a bound form too: it gets "required", not a blank page
    form = ProfileForm(request.POST if posted else None, request.FILES if posted else None, instance=request.user.profile)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Profile saved."))
        return redirect("accounts:profile", handle=request.user.profile.handle)
    return render(request, "accounts/edit_profile.html", {"form": form})


def profile(request, handle):
    person = get_object_or_404(Profile.objects.select_related("user"), handle__iexact=handle)
    user = request.user
    context = {
        "person": person,
        "is_me": user.is_authenticated and user.pk == person.user_id,
        "is_friend": friends.are_friends(user, person.user),
    }
    return render(request, "accounts/profile.html", context)


def picture(request, handle):
    """Profile pictures are meant to be seen by other people, like the handle itself."""
    person = get_object_or_404(Profile, handle__iexact=handle)
    if not person.picture:
        raise Http404
    return FileResponse(person.picture.open("rb"), content_type="image/jpeg")


@login_required
def api_token(request):
    """Issues a new personal API token; it is shown once, since only its hash is kept."""
    token = None
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            request.user.api_tokens.all().delete()
            messages.success(request, _("All your API tokens are revoked."))
            return redirect("accounts:api_token")
        token = ApiToken.issue(request.user, label="web")
    return render(request, "accounts/api_token.html", {"token": token, "tokens": request.user.api_tokens.order_by("-created")})


@login_required
def friend_list(request):
    user = request.user
    form = FindFriendForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            result = friends.send_request(user, form.cleaned_data["handle"])
        except friends.FriendError as error:
            form.add_error("handle", str(error))
        else:
            if result.status == FriendRequest.Status.ACCEPTED:
                messages.success(request, _("You are now friends with @%(handle)s.") % {"handle": form.cleaned_data["handle"].profile.handle})
            else:
                messages.success(request, _("Friend request sent to @%(handle)s.") % {"handle": form.cleaned_data["handle"].profile.handle})
            return redirect("accounts:friends")
    pending = FriendRequest.objects.filter(status=FriendRequest.Status.PENDING).select_related("from_user__profile", "to_user__profile")
    context = {
        "form": form,
        "friends": friends.friends_of(user),
        "incoming": pending.filter(to_user=user),
        "outgoing": pending.filter(from_user=user),
    }
    return render(request, "accounts/friends.html", context)


def _answer(request, request_id, answer, done_message):
    try:
        answer(request.user, request_id)
    except friends.FriendError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, done_message)
    return redirect("accounts:friends")


@require_POST
@login_required
def accept(request, request_id):
    return _answer(request, request_id, friends.accept_request, _("Friend request accepted."))


@require_POST
@login_required
def decline(request, request_id):
    return _answer(request, request_id, friends.decline_request, _("Friend request declined."))


@require_POST
@login_required
def remove(request, handle):
    other = get_object_or_404(Profile, handle__iexact=handle).user
    try:
        friends.remove_friend(request.user, other)
    except friends.FriendError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("@%(handle)s is no longer your friend.") % {"handle": other.profile.handle})
    return redirect("accounts:friends")
