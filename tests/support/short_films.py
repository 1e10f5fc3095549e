"""Short template films for the render tests: the Paris template cast with stock characters, its
shots cut to a fraction of a second so a real render (preview or tiny Wan) takes a moment."""
from theatre.services import casting
from theatre.models import Script


def paris(language="en"):
    return Script.objects.get(is_template=True, template_slug__icontains="paris", language=language)


def short_film(owner, *, seconds=0.5, lines=False, shots=None, language="en"):
    """A draft film whose shots last `seconds`, keeping the first `shots` of them (all by default);
    without `lines` its dialogue is dropped too, since a shot always lasts at least as long as its lines."""
    film = casting.start_film(owner, paris(language))
    if shots is not None:
        film.script.shots.filter(pk__in=list(film.script.shots.values_list("pk", flat=True)[shots:])).delete()
    for shot in film.script.shots.all():
        shot.duration = seconds
        if not lines:
            shot.dialogue = []
        shot.save(update_fields=["duration", "dialogue"])
    return film
