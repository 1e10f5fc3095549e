"""access.get_film_for(user, pk) (one film, with a shortcut for its owner) answers exactly as the
visible_films queryset does, for every kind of visitor and every state of a film, and raises
Http404 for everything else."""
import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from tests.support.filmmaking import make_film
from theatre.services.access import get_film_for, visible_films
from theatre.models import Film


def test_it_agrees_with_visible_films_for_everyone_and_every_film(world):
    films = [
        world.film,
        make_film(world.alice, title="Draft", status=Film.Status.DRAFT, with_files=False),
        make_film(world.alice, title="Rendering", status=Film.Status.RENDERING, with_files=False),
        make_film(world.bob, title="Bob's", cast=[world.dee]),
        make_film(world.erin, title="Erin's"),
    ]
    Film.objects.filter(pk=make_film(world.alice, title="Taken down").pk).update(taken_down=True)
    films.append(Film.objects.get(title="Taken down"))
    visitors = [world.alice, world.bob, world.carol, world.dave, world.erin, AnonymousUser()]
    answers = set()
    for visitor in visitors:
        allowed = set(visible_films(visitor).values_list("pk", flat=True))
        for film in films:
            try:
                found = get_film_for(visitor, film.pk)
            except Http404:
                found = None
            assert (found is not None) == (film.pk in allowed), (visitor, film.title)
            assert found is None or found.pk == film.pk
            answers.add(found is not None)
    assert answers == {True, False}  # both answers really occur in the table
    with pytest.raises(Http404):
        get_film_for(world.alice, 10**9)
