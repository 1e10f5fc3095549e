"""The JSON API: the same main actions as the site, authenticated by a personal token
(`Authorization: Token …`). It calls the same domain functions and access querysets as the views."""
import json
from functools import wraps

from django.http import Http404, JsonResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from accounts.models import ApiToken
from inference.status import avatar_status, film_status_with_queue

from theatre.services import avatars, casting
from theatre.services.access import avatars_owned_by, get_avatar_for, get_film_for, get_template_for
from theatre.services.limits import rate_limited
from theatre.services.scripts import gallery
from theatre.web.forms import AvatarForm


def token_required(view):
    """Token only, never the session cookie: that is why these views may skip CSRF."""

    @csrf_exempt
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        scheme, _sep, token = request.headers.get("Authorization", "").partition(" ")
        api_token = None
        if scheme.lower() in {"token", "bearer"} and token:
            api_token = ApiToken.objects.select_related("user").filter(digest=ApiToken.digest_of(token.strip())).first()
        if api_token is None or not api_token.user.is_active:
            return JsonResponse({"error": "A valid API token is required (Authorization: Token …)."}, status=401)
        ApiToken.objects.filter(pk=api_token.pk).update(last_used=timezone.now())
        request.user = api_token.user
        try:
            return view(request, *args, **kwargs)
        except Http404:
            return JsonResponse({"error": "Not found."}, status=404)

    return wrapper


def _film_json(film, request):
    data = film_status_with_queue(film)
    data.update(title=film.title, seed=film.seed, remixed_from=film.remixed_from_id,
                url=request.build_absolute_uri(film.get_absolute_url()),
                cast={m.role.key: m.avatar_id for m in film.cast.select_related("role")})
    return data


@token_required
@require_http_methods(["GET", "POST"])
@rate_limited("upload")
def avatars_endpoint(request):
    if request.method == "GET":
        mine = avatars_owned_by(request.user)
        return JsonResponse({"avatars": [{**avatar_status(a), "name": a.name, "kind": a.kind} for a in mine]})
    files = request.FILES  # parsing the upload first lets the size cap mark the request
    form = AvatarForm(request.POST, files, upload_too_large=getattr(request, "upload_too_large", False))
    if not form.is_valid():
        return JsonResponse({"errors": {k: [str(e) for e in v] for k, v in form.errors.items()}}, status=400)
    data = form.cleaned_data
    avatar = avatars.create_avatar(request.user, name=data["name"], kind=data["kind"], description=data["description"],
                                   policy=data["policy"], clip=data["clip"])
    return JsonResponse({**avatar_status(avatar), "name": avatar.name}, status=201)


@token_required
@require_http_methods(["GET"])
def avatar_endpoint(request, pk):
    avatar = get_avatar_for(request.user, pk, may="own")
    return JsonResponse({**avatar_status(avatar), "name": avatar.name, "kind": avatar.kind})


@token_required
@require_http_methods(["GET"])
def templates_endpoint(request):
    templates = gallery(request.GET.get("language", "en")).prefetch_related("shots")
    return JsonResponse({"templates": [{
        "id": t.pk, "slug": t.template_slug, "title": t.title, "logline": t.logline, "language": t.language,
        "roles": [{"key": r.key, "name": r.name, "kinds": r.kinds, "default_avatar": r.default_avatar_id} for r in t.roles.all()],
        "shots": t.shots.count(),
    } for t in templates]})


@token_required
@require_http_methods(["POST"])
@rate_limited("render")
def films_endpoint(request):
    """{"template": id, "cast": {"role": avatar_id}, "render": true} starts a film."""
    from theatre.script.parser import ScriptError

    try:
        body = json.loads(request.body or b"{}")
        template = get_template_for(request.user, int(body["template"]))
        cast = {str(k): int(v) for k, v in (body.get("cast") or {}).items()}
    except (ValueError, KeyError, TypeError, AttributeError):
        return JsonResponse({"error": 'Send JSON like {"template": 1, "cast": {"role": 2}, "render": true}.'}, status=400)
    film = casting.start_film(request.user, template)
    try:
        casting.cast_roles(film, request.user, cast)
        if body.get("render", True):
            casting.request_render(film, request.user)
    except (casting.CastingError, ScriptError) as error:
        film.refresh_from_db()
        status = 429 if isinstance(error, casting.RenderLimitReached) else 400
        return JsonResponse({"error": str(error), "film": _film_json(film, request)}, status=status)
    film.refresh_from_db()
    return JsonResponse(_film_json(film, request), status=201)


@token_required
@require_http_methods(["GET"])
def film_endpoint(request, pk):
    return JsonResponse(_film_json(get_film_for(request.user, pk, may="own"), request))


@token_required
@require_http_methods(["POST"])
def film_share_endpoint(request, pk):
    from theatre.services.sharing import SharingError, create_share_link

    film = get_film_for(request.user, pk, may="own")
    try:
        link = create_share_link(film, request.user)
    except SharingError as error:
        return JsonResponse({"error": str(error)}, status=400)
    return JsonResponse({"url": request.build_absolute_uri(link.get_absolute_url()), "token": link.token}, status=201)
