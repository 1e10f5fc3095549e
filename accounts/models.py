"""People: a profile per user, and friend requests (an accepted request is a friendship)."""
from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

handle_validator = RegexValidator(
    r"^[A-Za-z0-9_]{3,30}$", _("3 to 30 letters, digits or underscores.")
)


class Profile(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    handle = models.CharField(_("handle"), max_length=30, unique=True, validators=[handle_validator])
    display_name = models.CharField(_("display name"), max_length=60)
    picture = models.ImageField(_("picture"), upload_to="profiles/", blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(models.functions.Lower("handle"), name="profile_handle_ci_unique")
        ]

    def __str__(self):
        return f"@{self.handle}"


class FriendRequest(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        ACCEPTED = "accepted", _("accepted")
        DECLINED = "declined", _("declined")

    from_user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sent_friend_requests")
    to_user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="received_friend_requests")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created = models.DateTimeField(auto_now_add=True)
    decided = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["from_user", "to_user"], name="one_request_per_pair"),
            models.CheckConstraint(condition=~Q(from_user=models.F("to_user")), name="no_self_request"),
        ]


class ApiToken(models.Model):
    """A personal token for the JSON API. Only its SHA-256 is stored; the token is shown once."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    digest = models.CharField(max_length=64, unique=True)
    label = models.CharField(max_length=60, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    last_used = models.DateTimeField(null=True, blank=True)

    @staticmethod
    def digest_of(token):
        import hashlib

        return hashlib.sha256(token.encode()).hexdigest()

    @classmethod
    def issue(cls, user, label=""):
        import secrets

        token = secrets.token_urlsafe(32)
        cls.objects.create(user=user, digest=cls.digest_of(token), label=label)
        return token
