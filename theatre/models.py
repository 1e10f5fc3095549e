"""The product's rows: avatars and consent, scripts (roles and shots), films and their cast, share
links. Logic about one row lives here; work across rows lives in the modules named for it."""
import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

User = settings.AUTH_USER_MODEL


class AvatarKind(models.TextChoices):
    PERSON = "person", _("person")
    PET = "pet", _("pet")
    CARTOON = "cartoon", _("cartoon")
    OBJECT = "object", _("object")


class MatteStatus(models.TextChoices):
    """The avatar's cut-out: optional, so an avatar without one is still ready to cast."""
    NONE = "", _("Not made")
    PENDING = "pending", _("Being made")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Could not be made")


class Avatar(models.Model):
    """A digital twin: what a subject looks and sounds like, learnt from a 2-5 s clip."""

    class Policy(models.TextChoices):
        ONLY_ME = "only_me", _("Only me")
        APPROVED = "approved", _("Friends I approve one by one")
        FRIENDS = "friends", _("All my friends")
        EVERYONE = "everyone", _("Everyone")

    class Status(models.TextChoices):
        PROCESSING = "processing", _("Preparing")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    owner = models.ForeignKey(User, on_delete=models.CASCADE, null=True, blank=True, related_name="avatars")
    stock_key = models.SlugField(unique=True, null=True, blank=True, help_text="Set for the project's stock characters.")
    name = models.CharField(_("name"), max_length=40)
    kind = models.CharField(_("kind"), max_length=10, choices=AvatarKind.choices, default=AvatarKind.PERSON)
    description = models.CharField(_("description"), max_length=200, blank=True)
    policy = models.CharField(_("who may cast it"), max_length=10, choices=Policy.choices, default=Policy.APPROVED)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PROCESSING)
    failure_reason = models.CharField(max_length=300, blank=True)
    clip = models.FileField(upload_to="avatars/clips/", blank=True)
    poster = models.ImageField(upload_to="avatars/posters/", blank=True)
    crop = models.ImageField(upload_to="avatars/crops/", blank=True)
    # Box of the subject in the chosen frame, as fractions of its size: [left, top, right, bottom].
    crop_box = models.JSONField(default=list, blank=True)
    voice_sample = models.FileField(upload_to="avatars/voices/", blank=True)
    # The subject cut out of the clip's chosen window, inside the crop (inference.media.matte's npz:
    # RGBA frames, their speaking energy, the face box); the preview renderer plays it as the figure.
    matte = models.FileField(upload_to="avatars/mattes/", blank=True)
    matte_preview = models.ImageField(upload_to="avatars/mattes/", blank=True)  # looped WebP on a checkerboard
    matte_status = models.CharField(max_length=10, choices=MatteStatus.choices, blank=True)
    matte_note = models.CharField(max_length=300, blank=True)  # why there is no matte, for its owner
    clip_window = models.JSONField(default=list, blank=True)  # [start, end] seconds of the clip in use
    # median_pitch_hz, pitch_range_semitones, speaking_rate_sps, loudness_db, has_speech, ...
    voice_profile = models.JSONField(default=dict, blank=True)
    # The voice used when the clip has no speech, or the one the user picked instead.
    voice_preset = models.CharField(max_length=40, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    job_id = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-created"]

    def __str__(self):
        return self.name

    @property
    def is_stock(self):
        return self.stock_key is not None

    def get_absolute_url(self):
        return reverse("theatre:avatar", args=[self.pk])


class AvatarFrame(models.Model):
    """A reference frame picked from the clip; the chosen one gives the crop."""

    avatar = models.ForeignKey(Avatar, on_delete=models.CASCADE, related_name="frames")
    image = models.ImageField(upload_to="avatars/frames/")
    time = models.FloatField(default=0.0)
    score = models.FloatField(default=0.0)
    chosen = models.BooleanField(default=False)

    class Meta:
        ordering = ["time"]


class AvatarUseRequest(models.Model):
    """Consent: someone asks to cast an avatar; its owner approves, declines, or later revokes."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for an answer")
        APPROVED = "approved", _("Approved")
        DECLINED = "declined", _("Declined")
        REVOKED = "revoked", _("Revoked")

    avatar = models.ForeignKey(Avatar, on_delete=models.CASCADE, related_name="use_requests")
    requester = models.ForeignKey(User, on_delete=models.CASCADE, related_name="avatar_use_requests")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created = models.DateTimeField(auto_now_add=True)
    decided = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["avatar", "requester"], name="one_use_request_per_pair")]


class Framing(models.TextChoices):
    WIDE = "wide", _("wide shot")
    FULL = "full", _("full shot")
    MEDIUM = "medium", _("medium shot")
    CLOSE_UP = "close_up", _("close-up")
    EXTREME_CLOSE_UP = "extreme_close_up", _("extreme close-up")
    OVER_THE_SHOULDER = "over_the_shoulder", _("over-the-shoulder")


class CameraMove(models.TextChoices):
    STATIC = "static", _("static")
    PAN = "pan", _("pan")
    PUSH_IN = "push_in", _("push in")
    PULL_OUT = "pull_out", _("pull out")
    ORBIT = "orbit", _("orbit")


class Script(models.Model):
    """An ordered list of shots with roles. Templates are scripts with a slug; a film owns a copy."""

    class Language(models.TextChoices):
        EN = "en", "English"
        ZH = "zh-hans", "简体中文"

    owner = models.ForeignKey(User, on_delete=models.CASCADE, null=True, blank=True, related_name="scripts")
    template_slug = models.SlugField(max_length=60, blank=True, help_text="Set on gallery templates.")
    is_template = models.BooleanField(default=False)
    language = models.CharField(max_length=8, choices=Language.choices, default=Language.EN)
    title = models.CharField(_("title"), max_length=80)
    logline = models.CharField(_("logline"), max_length=240, blank=True)
    prompt = models.TextField(_("prompt"), blank=True, help_text="The free-form prompt it was parsed from, if any.")
    poster = models.ImageField(upload_to="templates/", blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["title"]
        constraints = [
            models.UniqueConstraint(
                fields=["template_slug", "language"],
                condition=models.Q(is_template=True),
                name="one_template_per_slug_language",
            )
        ]

    def __str__(self):
        return self.title

    @property
    def duration(self):
        return sum(shot.duration for shot in self.shots.all())


class Role(models.Model):
    script = models.ForeignKey(Script, on_delete=models.CASCADE, related_name="roles")
    key = models.SlugField(max_length=40, help_text="How shots refer to the role: @key.")
    name = models.CharField(_("name"), max_length=40)
    description = models.CharField(_("description"), max_length=200, blank=True)
    kinds = models.JSONField(default=list, blank=True, help_text="Avatar kinds it accepts; empty: any.")
    default_avatar = models.ForeignKey(
        Avatar, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        help_text="A stock character cast by default (templates).",
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]
        constraints = [models.UniqueConstraint(fields=["script", "key"], name="role_key_unique_in_script")]

    def __str__(self):
        return self.name

    def accepts(self, avatar):
        return not self.kinds or avatar.kind in self.kinds


class Shot(models.Model):
    script = models.ForeignKey(Script, on_delete=models.CASCADE, related_name="shots")
    order = models.PositiveSmallIntegerField(default=0)
    framing = models.CharField(_("framing"), max_length=20, choices=Framing.choices, default=Framing.MEDIUM)
    camera_move = models.CharField(_("camera move"), max_length=10, choices=CameraMove.choices, default=CameraMove.STATIC)
    action = models.TextField(_("action and setting"), help_text="Roles are written @key.")
    role_keys = models.JSONField(default=list, help_text="Keys of the roles in the shot.")
    dialogue = models.JSONField(default=list, blank=True, help_text='[{"role": key, "text": "..."}]')
    duration = models.FloatField(_("seconds"), default=2.5)

    class Meta:
        ordering = ["order", "pk"]


class Film(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        QUEUED = "queued", _("Queued")
        RENDERING = "rendering", _("Rendering")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    owner = models.ForeignKey(User, on_delete=models.CASCADE, related_name="films")
    script = models.ForeignKey(Script, on_delete=models.PROTECT, related_name="films")
    title = models.CharField(_("title"), max_length=80)
    seed = models.BigIntegerField(default=0)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    backend = models.CharField(max_length=20, blank=True, help_text="Which renderer made it.")
    model = models.CharField(max_length=120, blank=True, help_text="The generator model that made it.")
    # Whose the sound is: "model" (made with the picture), "synthetic" (our voices) or "none".
    sound = models.CharField(max_length=10, blank=True, help_text="Whose the sound is: the model's or synthetic.")
    stage = models.CharField(max_length=80, blank=True)
    progress = models.PositiveSmallIntegerField(default=0)
    failure_reason = models.CharField(max_length=300, blank=True)
    video = models.FileField(upload_to="films/", blank=True)
    poster = models.ImageField(upload_to="films/posters/", blank=True)
    duration = models.FloatField(default=0.0)
    remixed_from = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="remixes")
    taken_down = models.BooleanField(
        default=False, help_text="Has a take-down in force (TakeDown rows; kept by theatre.services.sharing).")
    job_id = models.CharField(max_length=64, blank=True)
    render_attempts = models.PositiveSmallIntegerField(default=0)
    queued_at = models.DateTimeField(null=True, blank=True)
    heartbeat = models.DateTimeField(null=True, blank=True, help_text="Last sign of life from the render job.")
    view_count = models.PositiveIntegerField(default=0)
    created = models.DateTimeField(auto_now_add=True)
    rendered_at = models.DateTimeField(null=True, blank=True)
    # The API's completion callback (theatre/services/webhooks.py): called once when a render
    # finishes or fails, signed with the secret, which only the owner sees. A plain text column:
    # webhooks.checked_target is the one check of a URL, stricter than URLField's.
    webhook_url = models.CharField(max_length=500, blank=True)
    webhook_secret = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-created"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("theatre:film", args=[self.pk])

    @property
    def progress_group(self):
        return f"film-{self.pk}"


class CastMember(models.Model):
    film = models.ForeignKey(Film, on_delete=models.CASCADE, related_name="cast")
    role = models.ForeignKey(Role, on_delete=models.CASCADE, related_name="+")
    avatar = models.ForeignKey(Avatar, on_delete=models.CASCADE, related_name="castings")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["film", "role"], name="one_avatar_per_role")]


class TakeDown(models.Model):
    """One person's take-down of a film: it holds until that person lifts it. A film is down while
    any holds (Film.taken_down mirrors that), so the owner of one avatar in it cannot undo another's,
    nor can the film's owner undo theirs."""

    class Reason(models.TextChoices):
        OWNER = "owner", _("its owner took it down")
        IN_CAST = "in_cast", _("their avatar is in it")
        AVATAR_DELETED = "avatar_deleted", _("their avatar in it was deleted")
        EARLIER = "earlier", _("taken down before take-downs were recorded")

    film = models.ForeignKey(Film, on_delete=models.CASCADE, related_name="take_downs")
    # Kept when the account goes: a take-down by someone who deleted themselves holds for good.
    by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="take_downs")
    reason = models.CharField(max_length=20, choices=Reason.choices)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created", "pk"]
        constraints = [models.UniqueConstraint(fields=["film", "by"], name="one_take_down_per_person")]


def new_share_token():
    return secrets.token_urlsafe(24)  # 192 bits


class ShareLinkQuerySet(models.QuerySet):
    def active(self, now=None):
        """Links that work right now: the rule of ShareLink.is_active, as a query."""
        now = now or timezone.now()
        return self.filter(revoked_at__isnull=True).exclude(expires_at__lte=now)


class ShareLink(models.Model):
    film = models.ForeignKey(Film, on_delete=models.CASCADE, related_name="share_links")
    token = models.CharField(max_length=64, unique=True, default=new_share_token)
    created = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    view_count = models.PositiveIntegerField(default=0)

    objects = ShareLinkQuerySet.as_manager()

    def is_active(self, now=None):
        """Not revoked and not expired (ShareLinkQuerySet.active is the same rule as a query)."""
        now = now or timezone.now()
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)

    def get_absolute_url(self):
        return reverse("theatre:shared", args=[self.token])


class Notification(models.Model):
    """Something a person should hear about: a request, an approval, their avatar used in a film."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notifications")
    text = models.CharField(max_length=300)
    url = models.CharField(max_length=300, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    read = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created"]
