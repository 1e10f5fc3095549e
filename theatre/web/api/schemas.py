"""What the API takes and gives, as pydantic models: django-ninja validates requests with them
and derives the OpenAPI document from them. Inputs are strict (a string is not a number, "no" is
not a boolean) and refuse unknown fields, so a typo is an error instead of being ignored."""
from typing import Annotated, Literal, Optional

from ninja import Schema
from pydantic import ConfigDict, Field, StringConstraints

from theatre.models import Avatar, AvatarKind, CameraMove, Film, Framing

# Ids are rows' primary keys: 64-bit, so a bigger number is refused before any query.
Id = Annotated[int, Field(ge=1, le=2**63 - 1)]


def Text(max_length, min_length=0):
    # No NUL: Postgres cannot store it in text (SQLite would, and the two must behave alike).
    return Annotated[str, StringConstraints(min_length=min_length, max_length=max_length, pattern=r"^[^\x00]*$")]


RoleKey = Text(40, 1)
WebhookUrl = Annotated[Optional[Text(500)], Field(
    description="Called once with the film's JSON when a render finishes or fails; null or \"\" clears it.")]
FilmStatus = Literal[tuple(Film.Status.values)]


class Input(Schema):
    model_config = ConfigDict(strict=True, extra="forbid")


class Error(Schema):
    error: str = Field(description="What went wrong, in words a person can act on.")
    code: str = Field(description="A stable word for programs: invalid, not_found, unauthorized, rate_limited, …")
    errors: Optional[dict[str, list[str]]] = Field(None, description="The fields at fault, each with its messages.")


class Page(Schema):
    count: int
    next: Optional[str]
    previous: Optional[str]


# --- avatars -------------------------------------------------------------------------------------

class AvatarIn(Schema):
    name: Text(40, 1)
    kind: Literal[tuple(AvatarKind.values)]
    policy: Literal[tuple(Avatar.Policy.values)] = Field(
        description="Who may cast it: only_me, approved (friends you approve one by one), friends, everyone.")
    description: Text(200) = ""


class AvatarOut(Schema):
    id: int
    name: str
    kind: str
    policy: str
    description: str
    stock: bool
    status: Literal[tuple(Avatar.Status.values)]
    status_label: str
    failure_reason: str
    done: bool


class AvatarPage(Page):
    avatars: list[AvatarOut]


# --- templates -----------------------------------------------------------------------------------

class TemplateRole(Schema):
    key: str
    name: str
    kinds: list[str]
    default_avatar: Optional[int]


class TemplateOut(Schema):
    id: int
    slug: str
    title: str
    logline: str
    language: str
    roles: list[TemplateRole]
    shots: int


class TemplatePage(Page):
    templates: list[TemplateOut]


# --- films ---------------------------------------------------------------------------------------

class RoleOut(Schema):
    key: str
    name: str
    kinds: list[str]
    avatar: Optional[int]
    avatar_name: Optional[str]


class FilmOut(Schema):
    kind: Literal["film"]
    id: int
    title: str
    status: FilmStatus
    status_label: str
    stage: str
    progress: int = Field(description="0 to 100.")
    queue_position: Optional[int] = Field(description="While queued: its place in the render queue, 1 = next.")
    failure_reason: str
    backend: str = Field(description="Which renderer made it: preview or wan.")
    done: bool
    language: str
    seed: int
    remixed_from: Optional[int]
    url: str = Field(description="The film's page on the site.")
    duration: float
    taken_down: bool
    created: str
    rendered_at: Optional[str]
    cast: dict[str, int] = Field(description="Role key -> avatar id.")
    roles: list[RoleOut]
    shots: int
    webhook_url: Optional[str] = Field(None, description="The owner's completion webhook (owner only).")
    webhook_secret: Optional[str] = Field(
        None, description="The key of the webhook's HMAC-SHA256 signature (owner only; never in the webhook itself).")


class FilmPage(Page):
    films: list[FilmOut]


Cast = Annotated[dict[RoleKey, Id], Field(max_length=20, description="Role key -> avatar id.")]


class FilmFromTemplate(Input):
    template: Id
    cast: Cast = {}
    render: bool = Field(True, description="Queue the render at once (every role must be cast).")
    webhook_url: WebhookUrl = None


class FilmFromPrompt(Input):
    prompt: Text(2000, 1) = Field(description=(
        "Shots marked “Shot 1:” or “镜头一，”, characters named with @: your avatars, friends' avatars you may "
        "cast and stock characters by their name, or any name bound to an avatar id in `cast`."))
    cast: Annotated[dict[Text(40, 1), Id], Field(max_length=20, description="Mention name -> avatar id.")] = {}
    render: bool = True
    webhook_url: WebhookUrl = None


class FilmChange(Input):
    webhook_url: WebhookUrl = None


class CastIn(Input):
    cast: Annotated[dict[RoleKey, Id], Field(min_length=1, max_length=20, description="Role key -> avatar id.")]


class SwapIn(Input):
    role: RoleKey
    avatar: Id = Field(description="Your avatar (or one you may cast) to play the role.")
    share_token: Optional[Text(64, 1)] = Field(None, description="The token of a share link, for a film seen through one.")
    render: bool = Field(True, description="Render the remix at once when every role is cast.")
    webhook_url: WebhookUrl = None


# --- shots ---------------------------------------------------------------------------------------

class Line(Input):
    role: RoleKey
    text: Text(300, 1)


class ShotIn(Input):
    framing: Literal[tuple(Framing.values)] = Framing.MEDIUM.value
    camera_move: Literal[tuple(CameraMove.values)] = CameraMove.STATIC.value
    action: Text(1000) = Field("", description="What happens; roles are written @key.")
    dialogue: Annotated[list[Line], Field(max_length=12)] = []
    duration: float = Field(3.0, ge=1, le=15, description="Seconds, 1 to 15.")
    roles: Optional[Annotated[list[RoleKey], Field(max_length=12)]] = Field(
        None, description="Who is on screen; by default the roles the action mentions and the speakers.")


class ShotChange(Input):
    framing: Optional[Literal[tuple(Framing.values)]] = None
    camera_move: Optional[Literal[tuple(CameraMove.values)]] = None
    action: Optional[Text(1000)] = None
    dialogue: Optional[Annotated[list[Line], Field(max_length=12)]] = None
    duration: Optional[float] = Field(None, ge=1, le=15)
    roles: Optional[Annotated[list[RoleKey], Field(max_length=12)]] = None


class ShotsIn(Input):
    shots: Annotated[list[ShotIn], Field(min_length=1, max_length=6)]


class ShotOut(Schema):
    number: int
    framing: str
    camera_move: str
    action: str
    roles: list[str]
    dialogue: list[dict[str, str]]
    duration: float


class ScriptRole(Schema):
    key: str
    name: str
    kinds: list[str]


class ScriptOut(Schema):
    language: str
    roles: list[ScriptRole]
    shots: list[ShotOut]
    duration: float


# --- sharing -------------------------------------------------------------------------------------

class ShareIn(Input):
    expires_in_days: Optional[int] = Field(None, ge=1, le=365, description="Leave out for a link that works until revoked.")


class ShareLinkOut(Schema):
    id: int
    url: str
    token: str
    active: bool
    created: str
    expires_at: Optional[str]
    revoked_at: Optional[str]
    view_count: int


class ShareLinkPage(Page):
    links: list[ShareLinkOut]
