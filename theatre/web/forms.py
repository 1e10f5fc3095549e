from django import forms
from django.utils.translation import gettext_lazy as _

from theatre.services.avatars import check_clip, clip_size_limit_mb
from theatre.models import Avatar


class AvatarForm(forms.ModelForm):
    clip = forms.FileField(
        label=_("Reference clip"),
        help_text=_("A 2–5 second video of the subject (MP4, MOV or WebM). Speak in it if you want your own voice."),
        widget=forms.ClearableFileInput(attrs={"accept": "video/*", "capture": "user"}),
    )

    class Meta:
        model = Avatar
        fields = ("name", "kind", "description", "policy")
        widgets = {"description": forms.TextInput(attrs={"placeholder": _("e.g. curly hair, red scarf, always smiling")})}

    def __init__(self, *args, upload_too_large=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.upload_too_large = upload_too_large

    def clean_clip(self):
        clip = self.cleaned_data["clip"]
        from inference.media.clip import ClipError

        try:
            self.clip_info = check_clip(clip)
        except ClipError as error:
            raise forms.ValidationError(str(error), code=getattr(error, "code", "invalid")) from error
        return clip

    def full_clean(self):
        super().full_clean()
        if self.upload_too_large:  # the upload handler stopped reading: say why the file is missing
            self.errors.pop("clip", None)
            self.add_error("clip", forms.ValidationError(
                _("The clip is too big: the limit is %(mb)d MB. A 2–5 s clip is plenty."), params={"mb": clip_size_limit_mb()}))


class AvatarSettingsForm(forms.ModelForm):
    class Meta:
        model = Avatar
        fields = ("name", "description", "policy", "voice_preset")
        labels = {"voice_preset": _("Voice")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from inference.voice.presets import PRESETS

        choices = [("", _("My own voice (from the clip)"))] if self.instance.voice_sample else []
        self.fields["voice_preset"] = forms.ChoiceField(
            label=_("Voice"), required=False, choices=choices + [(name, name.replace("_", " ")) for name in PRESETS])


class CropForm(forms.Form):
    left = forms.FloatField(min_value=0, max_value=1)
    top = forms.FloatField(min_value=0, max_value=1)
    right = forms.FloatField(min_value=0, max_value=1)
    bottom = forms.FloatField(min_value=0, max_value=1)

    def box(self):
        data = self.cleaned_data
        return [data["left"], data["top"], data["right"], data["bottom"]]

class ShareLinkForm(forms.Form):
    expires_in_days = forms.IntegerField(
        label=_("Expires after (days)"), required=False, min_value=1, max_value=365,
        help_text=_("Leave empty for a link that works until you revoke it."),
    )


class VerifyForm(forms.Form):
    """/verify/: a file to upload, or the address of a film of this site."""

    file = forms.FileField(label=_("A file"), required=False,
                           help_text=_("A video or picture: MP4, MOV, JPEG, PNG or WebP."))
    url = forms.CharField(label=_("Or the address of a film here"), required=False, max_length=2000,
                          widget=forms.TextInput(attrs={"placeholder": _("A film's page or share link"), "inputmode": "url"}))

    def __init__(self, *args, upload_too_large=False, limit_mb=0, **kwargs):
        super().__init__(*args, **kwargs)
        self.upload_too_large, self.limit_mb = upload_too_large, limit_mb

    def clean(self):
        data = super().clean()
        if self.upload_too_large:  # the upload handler stopped reading: say why the file is missing
            raise forms.ValidationError(_("The file is too big to check here: the limit is %(mb)d MB."),
                                        params={"mb": self.limit_mb}, code="too_large")
        if not data.get("file") and not (data.get("url") or "").strip():
            raise forms.ValidationError(_("Choose a file, or paste the address of a film on this site."), code="empty")
        return data
