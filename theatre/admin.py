"""The staff admin: templates (scripts with roles and shots), avatars and consent, films and their
cast, share links and notifications. Files made by the pipeline are shown, not edited."""
from django.contrib import admin, messages

from .models import (
    Avatar, AvatarFrame, AvatarUseRequest, CastMember, Film, Notification, Role, Script, Shot, ShareLink,
)
from theatre.services.scripts import script_problems


class RoleInline(admin.TabularInline):
    model = Role
    extra = 0
    fields = ("order", "key", "name", "description", "kinds", "default_avatar")
    autocomplete_fields = ("default_avatar",)


class ShotInline(admin.StackedInline):
    model = Shot
    extra = 0
    fields = (("order", "framing", "camera_move", "duration"), "action", "role_keys", "dialogue")


@admin.register(Script)
class ScriptAdmin(admin.ModelAdmin):
    list_display = ("title", "template_slug", "language", "is_template", "owner", "created")
    list_filter = ("is_template", "language")
    search_fields = ("title", "template_slug", "logline", "prompt")
    raw_id_fields = ("owner",)
    inlines = (RoleInline, ShotInline)
    actions = ("check_rules",)

    def save_related(self, request, form, formsets, change):
        """Staff may save a draft that breaks the rules, but are told at once, in the same words
        users see."""
        super().save_related(request, form, formsets, change)
        for problem in script_problems(form.instance):
            self.message_user(request, str(problem), messages.WARNING)

    @admin.action(description="Check the film rules (shots, length, lines)")
    def check_rules(self, request, queryset):
        for script in queryset:
            problems = script_problems(script)
            level = messages.WARNING if problems else messages.SUCCESS
            text = "; ".join(str(p) for p in problems) or "OK"
            self.message_user(request, f"{script.title} ({script.language}): {text}", level)


class AvatarFrameInline(admin.TabularInline):
    model = AvatarFrame
    extra = 0
    fields = ("image", "time", "score", "chosen")
    readonly_fields = ("image", "time", "score")


@admin.register(Avatar)
class AvatarAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "owner", "stock_key", "policy", "status", "created")
    list_filter = ("status", "kind", "policy", ("stock_key", admin.EmptyFieldListFilter))
    search_fields = ("name", "stock_key", "description", "owner__username")
    raw_id_fields = ("owner",)
    # Files and measurements come from the clip; editing them by hand would desynchronise them.
    readonly_fields = ("clip", "poster", "crop", "crop_box", "voice_sample", "voice_profile", "job_id", "created")
    inlines = (AvatarFrameInline,)


@admin.register(AvatarUseRequest)
class AvatarUseRequestAdmin(admin.ModelAdmin):
    list_display = ("avatar", "requester", "status", "created", "decided")
    list_filter = ("status",)
    search_fields = ("avatar__name", "requester__username")
    raw_id_fields = ("avatar", "requester")


class CastMemberInline(admin.TabularInline):
    model = CastMember
    extra = 0
    raw_id_fields = ("role", "avatar")


@admin.register(Film)
class FilmAdmin(admin.ModelAdmin):
    list_display = ("title", "owner", "status", "backend", "model", "sound", "progress", "taken_down", "created")
    list_filter = ("status", "backend", "sound", "taken_down")
    search_fields = ("title", "owner__username")
    raw_id_fields = ("owner", "script", "remixed_from")
    readonly_fields = (
        "video", "poster", "duration", "backend", "model", "sound", "stage", "progress", "job_id", "render_attempts",
        "queued_at", "heartbeat", "view_count", "created", "rendered_at",
    )
    inlines = (CastMemberInline,)


@admin.register(ShareLink)
class ShareLinkAdmin(admin.ModelAdmin):
    list_display = ("film", "created", "expires_at", "revoked_at", "view_count")
    list_filter = (("revoked_at", admin.EmptyFieldListFilter),)
    search_fields = ("film__title",)
    raw_id_fields = ("film",)
    # The token is the secret in the link: show that a link exists, never its token.
    exclude = ("token",)
    readonly_fields = ("created", "view_count")


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("user", "text", "read", "created")
    list_filter = ("read",)
    search_fields = ("text", "user__username")
    raw_id_fields = ("user",)
