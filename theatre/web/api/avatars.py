"""Avatars: mine (list, one, upload a clip to make one) and the ones I may cast in a film."""
from ninja import File, Form, Query, Router, Status
from ninja.files import UploadedFile

from inference.status import avatar_status
from theatre.services import avatars
from theatre.services.access import avatars_owned_by, castable_avatars, get_avatar_for
from theatre.web.api.core import SiteRateLimit, error_response
from theatre.web.api.pages import PageQuery, answers, paginate
from theatre.web.api.schemas import AvatarIn, AvatarOut, AvatarPage, Error, Id
from theatre.web.forms import AvatarForm

router = Router(tags=["avatars"])


def avatar_json(avatar):
    return {**avatar_status(avatar), "name": avatar.name, "kind": avatar.kind, "policy": avatar.policy,
            "description": avatar.description, "stock": avatar.is_stock}


@router.get("/avatars/", response=answers({200: AvatarPage}), url_name="avatars")
def list_avatars(request, page: Query[PageQuery]):
    """My avatars, newest first."""
    return paginate(request, avatars_owned_by(request.user), "avatars", avatar_json, page)


@router.get("/avatars/castable/", response=answers({200: AvatarPage}), url_name="castable_avatars")
def list_castable_avatars(request, page: Query[PageQuery]):
    """Ready avatars I may put in a film: mine, friends' that allow it, stock characters. A prompt
    may mention any of them by name."""
    return paginate(request, castable_avatars(request.user).order_by("stock_key", "name", "pk"), "avatars",
                    avatar_json, page)


@router.post("/avatars/", response=answers({201: AvatarOut, 400: Error}, 429), url_name="avatars_create",
             throttle=[SiteRateLimit("upload")])
def create_avatar(request, data: Form[AvatarIn], clip: File[UploadedFile]):
    """A new avatar from a 2–5 s clip (multipart/form-data). It is prepared in the background:
    poll it until `status` is `ready`."""
    form = AvatarForm({**data.dict()}, {"clip": clip}, upload_too_large=getattr(request, "upload_too_large", False))
    if not form.is_valid():
        errors = {field: [str(e) for e in messages] for field, messages in form.errors.items()}
        return error_response(" ".join(m for messages in errors.values() for m in messages), "invalid", 400, errors)
    data = form.cleaned_data
    avatar = avatars.create_avatar(request.user, name=data["name"], kind=data["kind"], description=data["description"],
                                   policy=data["policy"], clip=data["clip"])
    return Status(201, avatar_json(avatar))


@router.get("/avatars/{int:avatar_id}/", response=answers({200: AvatarOut}, 404), url_name="avatar")
def get_avatar(request, avatar_id: Id):
    """One of my avatars, with its preparation status."""
    return avatar_json(get_avatar_for(request.user, avatar_id, may="own"))
