from django import forms
from django.utils.translation import gettext_lazy as _


class ShareLinkForm(forms.Form):
    expires_in_days = forms.IntegerField(
        label=_("Expires after (days)"), required=False, min_value=1, max_value=365,
        help_text=_("Leave empty for a link that works until you revoke it."),
    )
