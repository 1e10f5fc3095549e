"""A film's script: its roles and shots, to read and to edit while the film is a draft or failed."""
from ninja import Router
from typing import Annotated

from pydantic import Field

from theatre.services import shots
from theatre.services.access import get_film_for
from theatre.web.api.pages import answers
from theatre.web.api.schemas import Id, ScriptOut, ShotChange, ShotsIn

router = Router(tags=["shots"])
ShotNumber = Annotated[int, Field(ge=1, le=100)]


@router.get("/films/{int:film_id}/shots/", response=answers({200: ScriptOut}, 404), url_name="film_shots")
def get_shots(request, film_id: Id):
    """The roles and shots of my film, in order (shot numbers start at 1)."""
    return shots.script_json(get_film_for(request.user, film_id, may="own", related=["script"]))


@router.put("/films/{int:film_id}/shots/", response=answers({200: ScriptOut}, 404), url_name="film_shots_replace")
def replace_shots(request, film_id: Id, payload: ShotsIn):
    """Replaces all the shots (add, remove, reorder): the storyboard's rules apply, and a refused
    edit (400 with the reason and its `code`) changes nothing."""
    film = get_film_for(request.user, film_id, may="own", related=["script"])
    return shots.replace_shots(film, request.user, [shot.model_dump() for shot in payload.shots])


@router.patch("/films/{int:film_id}/shots/{int:number}/", response=answers({200: ScriptOut}, 404),
              url_name="film_shot_change")
def change_shot(request, film_id: Id, number: ShotNumber, payload: ShotChange = None):
    """Changes some fields of one shot; the fields left out stay as they are."""
    film = get_film_for(request.user, film_id, may="own", related=["script"])
    changes = payload.model_dump(exclude_unset=True) if payload else {}
    return shots.edit_shot(film, request.user, number, {k: v for k, v in changes.items() if v is not None})
