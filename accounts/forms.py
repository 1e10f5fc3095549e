from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import UserCreationForm
from django.utils.translation import gettext_lazy as _

from .models import Profile, handle_validator

User = get_user_model()


class SignUpForm(UserCreationForm):
    """The handle is the login name too: one name to remember."""

    handle = forms.CharField(
        label=_("Handle"), max_length=30, validators=[handle_validator],
        help_text=_("3 to 30 letters, digits or underscores. Friends find you by it."),
    )
    display_name = forms.CharField(label=_("Display name"), max_length=60)

    class Meta:
        model = User
        fields = ("handle", "display_name")

    def clean_handle(self):
        handle = self.cleaned_data["handle"]
        taken = Profile.objects.filter(handle__iexact=handle).exists() or User.objects.filter(username__iexact=handle).exists()
        if taken:
            raise forms.ValidationError(_("The handle @%(handle)s is taken. Try another."), params={"handle": handle})
        return handle

    def _post_clean(self):
        self.instance.username = self.cleaned_data.get("handle", "")
        super()._post_clean()

    def save(self, commit=True):
        user = super().save(commit=commit)
        if commit:
            Profile.objects.create(user=user, handle=self.cleaned_data["handle"], display_name=self.cleaned_data["display_name"])
        return user


class ProfileForm(forms.ModelForm):
    class Meta:
        model = Profile
        fields = ("display_name", "picture")

    def clean_picture(self):
        """Stores every picture as a small JPEG: it strips metadata (location) and odd formats."""
        picture = self.cleaned_data.get("picture")
        if not picture or not hasattr(picture, "content_type"):
            return picture
        import io

        from django.core.files.uploadedfile import SimpleUploadedFile
        from PIL import Image, ImageOps

        image = ImageOps.exif_transpose(Image.open(picture)).convert("RGB")
        image.thumbnail((512, 512))
        buffer = io.BytesIO()
        image.save(buffer, "JPEG", quality=88)
        return SimpleUploadedFile("picture.jpg", buffer.getvalue(), content_type="image/jpeg")


class FindFriendForm(forms.Form):
    handle = forms.CharField(label=_("Friend's handle"), max_length=31)

    def clean_handle(self):
        handle = self.cleaned_data["handle"].strip().lstrip("@")
        profile = Profile.objects.filter(handle__iexact=handle).select_related("user").first()
        if profile is None:
            raise forms.ValidationError(_("Nobody has the handle @%(handle)s."), params={"handle": handle})
        return profile.user
