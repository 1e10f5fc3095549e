"""ScriptError: why a prompt or a script cannot become a film, in words a person can act on.

Messages are English source strings marked for translation; they are formatted when shown, so
the reader's language applies (not the language active when the error was raised)."""
from django.utils.translation import gettext_lazy as _

MAX_SHOTS = 6
MAX_SECONDS = 15.0


class ScriptError(Exception):
    """One problem with a script. `code` is stable for programs; str() is the message for people."""

    def __init__(self, code, message, **params):
        self.code = code
        self.message = message
        self.params = params
        super().__init__(code)

    def __str__(self):
        return str(self.message) % self.params

    def __repr__(self):
        return f"ScriptError({self.code!r}, {self.params!r})"

    @classmethod
    def unknown_mention(cls, names):
        names = ", ".join(f"@{name}" for name in names)
        return cls(
            "unknown_mention",
            _("Nobody called %(names)s can be cast. Mention your own avatars, friends' avatars you may use, or stock characters."),
            names=names,
        )

    @classmethod
    def no_shots(cls):
        return cls("no_shots", _("No shot found: describe at least one shot, e.g. \u201cShot 1: wide shot, @Mia waves\u201d."))

    @classmethod
    def too_many_shots(cls, count):
        return cls(
            "too_many_shots",
            _("A film has at most %(max)d shots; this one has %(count)d."),
            count=count, max=MAX_SHOTS,
        )

    @classmethod
    def too_long(cls, total):
        return cls(
            "too_long",
            _("A film lasts at most %(max)d seconds; this one needs %(total).1f s. Shorten the lines or remove a shot."),
            total=total, max=MAX_SECONDS,
        )

    @classmethod
    def empty_shot(cls, number):
        return cls("empty_shot", _("Shot %(number)d is empty: say what happens in it."), number=number)

    @classmethod
    def role_without_avatar(cls, role_name):
        return cls("role_without_avatar", _("Nobody plays %(role)s yet: pick an avatar for the role."), role=role_name)

    @classmethod
    def shot_too_short(cls, number, needed, duration):
        return cls(
            "shot_too_short",
            _("Shot %(number)d lasts %(duration).1f s but its lines need %(needed).1f s."),
            number=number, needed=needed, duration=duration,
        )

    @classmethod
    def unknown_role(cls, number, key):
        return cls(
            "unknown_role",
            _("Shot %(number)d refers to @%(key)s, which is not a role of this script."),
            number=number, key=key,
        )
