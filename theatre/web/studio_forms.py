"""Forms of the film studio: the free prompt, a storyboard shot, a role's cast, the role swap."""
from django import forms
from django.core.validators import MaxLengthValidator
from django.forms import BaseModelFormSet, modelformset_factory
from django.utils.translation import gettext_lazy as _

from theatre.models import Shot
from theatre.script.errors import MAX_SHOTS
from theatre.script.timing import film_problem, shot_problem

# As the API takes a shot (theatre/web/api/schemas.py: ShotIn, Line): more than any film needs.
MAX_ACTION_CHARS = 1000
MAX_LINES_CHARS = 12 * 300


class PromptForm(forms.Form):
    prompt = forms.CharField(
        label=_("Your film in one prompt"), max_length=2000,
        widget=forms.Textarea(attrs={"rows": 6, "placeholder": _("Shot 1: wide shot, @Mia walks on the beach at sunset. Shot 2: close-up, @Mia smiles: \"What a day!\"")}),
        help_text=_("Mark shots with “Shot 1:” or “镜头一，”; name avatars with @; put lines in quotes. Up to 6 shots and 15 seconds."),
    )


class ShotForm(forms.ModelForm):
    dialogue_text = forms.CharField(
        label=_("Lines"), required=False, max_length=MAX_LINES_CHARS, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One line each, as role: text"),
    )

    class Meta:
        model = Shot
        fields = ("framing", "camera_move", "action", "duration")
        # The model's help text is for developers; people editing a shot get this one, translated.
        help_texts = {"action": _("Name the roles in it with @ and their key, for example @detective.")}
        widgets = {"action": forms.Textarea(attrs={"rows": 2}), "duration": forms.NumberInput(attrs={"step": "0.5", "min": "1", "max": "15"})}

    def __init__(self, *args, script=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.script = script
        self.fields["action"].validators.append(MaxLengthValidator(MAX_ACTION_CHARS))
        names = {role.key: role.name for role in script.roles.all()} if script else {}
        if self.instance.pk:
            self.fields["dialogue_text"].initial = "\n".join(
                f"{names.get(line.get('role'), line.get('role'))}: {line.get('text', '')}" for line in self.instance.dialogue)

    def clean_duration(self):
        duration = self.cleaned_data["duration"]
        if not 1 <= duration <= 15:
            raise forms.ValidationError(_("A shot lasts between 1 and 15 seconds."))
        return duration

    def clean_dialogue_text(self):
        by_name = {}
        for role in self.script.roles.all():
            by_name[role.name.casefold()] = role.key
            by_name[role.key.casefold()] = role.key
        lines = []
        for raw in self.cleaned_data["dialogue_text"].splitlines():
            if not raw.strip():
                continue
            speaker, sep, text = raw.replace("：", ":").partition(":")
            key = by_name.get(speaker.strip().lstrip("@").casefold())
            if not sep or key is None or not text.strip():
                raise forms.ValidationError(_("Write each line as role: text, with a role of this film (%(roles)s)."),
                                            params={"roles": ", ".join(r.name for r in self.script.roles.all())})
            lines.append({"role": key, "text": text.strip()})
        return lines

    def clean(self):
        cleaned = super().clean()
        if "duration" in cleaned and "dialogue_text" in cleaned:
            problem = shot_problem(cleaned["duration"], cleaned["dialogue_text"], self.language)
            if problem:
                self.add_error("duration", problem)
        return cleaned

    @property
    def language(self):
        return self.script.language if self.script else "en"

    def timing(self):
        """(duration, lines) as submitted when valid, else as saved."""
        data = getattr(self, "cleaned_data", None) or {}
        if "duration" in data and "dialogue_text" in data:
            return data["duration"], data["dialogue_text"]
        return self.instance.duration, self.instance.dialogue

    def save(self, commit=True):
        self.instance.dialogue = self.cleaned_data["dialogue_text"]
        speakers = [line["role"] for line in self.instance.dialogue]
        self.instance.role_keys = list(dict.fromkeys([*self.instance.role_keys, *speakers]))
        return super().save(commit=commit)


class BaseShotFormSet(BaseModelFormSet):
    """The storyboard page edits the shots the film has, each once: the page has no "add shot"
    (a shot comes from the prompt, the template or the API's shot list, which number it), so a row
    it never sends (no id, another film's shot, a shot twice, one missing) is refused as a whole,
    in one sentence, rather than saved half-made."""

    default_error_messages = {
        "too_many_forms": _("A film has at most %(num)d shots."),
        "missing_management_form": _("This form is missing part of the page (%(field_names)s). Reload the page and try again."),
    }

    def __init__(self, *args, script=None, **kwargs):
        self.script = script
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "script": self.script}

    def clean(self):
        super().clean()
        if not self._rows_are_the_films_shots():
            count = len(self.get_queryset())
            raise forms.ValidationError(
                _("The storyboard edits this film's %(count)d shots as the page shows them, no more and no fewer. "
                  "Reload the page and try again."), params={"count": count}, code="not_these_shots")
        if any(self.errors):
            return
        problem = film_problem([form.timing() for form in self.forms], self.script.language if self.script else "en")
        if problem:
            raise forms.ValidationError(problem)

    def _rows_are_the_films_shots(self):
        ids = [form.instance.pk for form in self.forms]
        return (None not in ids and not any(form.errors.get("id") for form in self.forms)
                and sorted(ids) == sorted(shot.pk for shot in self.get_queryset()))


# max_num and absolute_max bound what a POST can make the formset build: the management form's
# TOTAL_FORMS is the client's word, and Django would otherwise build up to 2000 forms (and render
# each with its errors). edit_only: saving never creates a shot, whatever the rows say.
ShotFormSet = modelformset_factory(
    Shot, form=ShotForm, formset=BaseShotFormSet, extra=0, can_delete=False, edit_only=True,
    max_num=MAX_SHOTS, absolute_max=MAX_SHOTS, validate_max=True,
)


class CastForm(forms.Form):
    avatar = forms.ModelChoiceField(queryset=None, label=_("Avatar"), empty_label=_("Choose an avatar"))

    def __init__(self, *args, role, avatars, **kwargs):
        super().__init__(*args, **kwargs)
        self.role = role
        queryset = avatars.filter(kind__in=role.kinds) if role.kinds else avatars
        self.fields["avatar"].queryset = queryset.order_by("stock_key", "name")
        self.fields["avatar"].label = role.name
        self.fields["avatar"].label_from_instance = _avatar_label


def _avatar_label(avatar):
    if avatar.is_stock:
        return f"{avatar.name} ★"
    return f"{avatar.name} (@{avatar.owner.profile.handle})"


class SwapForm(forms.Form):
    role = forms.ChoiceField(label=_("Which role do you take?"))
    avatar = forms.ModelChoiceField(queryset=None, label=_("As which of your avatars?"), empty_label=None)

    def __init__(self, *args, film, avatars, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [(role.key, role.name) for role in film.script.roles.all()]
        self.fields["avatar"].queryset = avatars
