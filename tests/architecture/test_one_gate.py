"""services.access is the only gate: no view, API endpoint, media route or WebSocket consumer
looks up a film, avatar or link by itself (a forgotten owner filter is how a stranger sees a
private film). The check reads the code, so a new view that filters by owner fails here."""
import pytest

from tests.support.imports import BASE_DIR, own_row_lookups, python_files

GATED = ("theatre/web", "inference/consumers.py")
THEATRE_MODELS = {"Avatar", "AvatarFrame", "AvatarUseRequest", "CastMember", "Film", "Notification", "Role",
                  "Script", "ShareLink", "Shot"}


@pytest.mark.parametrize("path", list(python_files(*GATED)), ids=lambda p: str(p.relative_to(BASE_DIR)))
def test_it_gets_every_row_through_the_access_gate(path):
    assert own_row_lookups(path.read_text(), THEATRE_MODELS) == []


@pytest.mark.parametrize("snippet", [
    "film = get_object_or_404(Film, pk=pk)",
    "films = Film.objects.filter(pk=pk)",
    "avatar = visible_avatars(user).filter(owner=request.user).first()",
    "links = links.filter(film__owner=user)",
    "requests = AvatarUseRequest.objects.all()",
])
def test_the_check_catches_a_view_that_looks_rows_up_itself(snippet):
    assert own_row_lookups(snippet, THEATRE_MODELS)
