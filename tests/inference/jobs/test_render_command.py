"""manage.py render FILM renders in the calling process, with a progress bar, and says where the film is."""
import pytest
from django.core.management import CommandError, call_command

from theatre.models import Film
from theatre.stock.loading import load_stock

from tests.support.short_films import short_film


def test_it_renders_a_film_from_the_command_line(alice, private_media, settings, capsys):
    from io import StringIO

    settings.THEATRE_BACKEND = "preview"
    load_stock()
    film = short_film(alice, shots=2)
    out = StringIO()
    call_command("render", str(film.pk), stdout=out)
    film.refresh_from_db()
    assert film.status == Film.Status.DONE and film.backend == "preview"
    assert film.video.name in out.getvalue() and "preview" in out.getvalue()
    assert "100%" in capsys.readouterr().err  # tqdm's bar, on stderr


def test_it_says_when_there_is_no_such_film(db):
    with pytest.raises(CommandError, match="There is no film 999"):
        call_command("render", "999")
