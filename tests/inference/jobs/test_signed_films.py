"""A film rendered by the RQ job leaves it signed: its Content Credentials read back with c2pa's
reader (trusted, with this site's assertions), the AIGC field names the site and the film, a remix
names its parent; and a certificate that cannot sign fails the render with a reason."""
import json

import av
import pytest

from inference.backends.preview import PreviewBackend
from inference.media.provenance import read_manifest
from inference.media.signing import forget_site_credentials
from inference.render import RenderError, render_film_files
from theatre.models import Film
from theatre.services import casting
from theatre.services.verification import check_file
from theatre.stock.loading import load_stock

from tests.support.filmmaking import make_avatar
from tests.support.provenance import make_operator_files
from tests.support.render_fixtures import make_film, one_shot
from tests.support.short_films import short_film


@pytest.fixture
def stock(db, private_media):
    load_stock()


def render(film, user, run_queue, capture):
    with capture(execute=True):
        casting.request_render(film, user)
    run_queue("gpu")
    film.refresh_from_db()
    assert film.status == Film.Status.DONE, film.failure_reason
    return film


def test_a_rendered_film_and_its_remix_carry_signed_credentials(alice, bob, befriend, stock, site_signing, settings,
                                                                 run_queue, django_capture_on_commit_callbacks):
    settings.AIGC_PRODUCER = "TT-0042"  # a registered producer code, where the operator has one
    film = render(short_film(alice, seconds=0.4, shots=2), alice, run_queue, django_capture_on_commit_callbacks)
    reading = read_manifest(film.video.path, trust_anchors=site_signing.anchors_pem)
    assert reading.state == "Trusted" and reading.failures == [] and reading.ai_generated
    assert reading.film["film_id"] == film.pk and reading.film["seed"] == film.seed
    assert reading.film["backend"] == "preview" and reading.film["model"] == "preview-animatic-1"
    assert reading.film["site"] == "Test Theatre" and reading.ingredients == []
    with av.open(film.video.path) as container:
        aigc = json.loads(container.metadata["AIGC"])
    assert aigc["ProduceID"] == str(film.pk) and aigc["ContentProducer"] == "TT-0042" and aigc["Label"] == "1"
    with film.video.open("rb") as video:
        assert check_file(video, alice).kind == "here"

    # Bob swaps himself in: the remix is rendered anew, and names Alice's film as its input.
    befriend(alice, bob)
    mine = make_avatar(bob, "Bobby", kind="person", crop_box=[0, 0, 1, 1])
    role = film.script.roles.first()
    remix = render(casting.swap_me_in(film, bob, role.key, mine.pk), bob, run_queue, django_capture_on_commit_callbacks)
    reading = read_manifest(remix.video.path, trust_anchors=site_signing.anchors_pem)
    assert reading.state == "Trusted" and reading.film["remix_of"] == film.pk and reading.film["film_id"] == remix.pk
    [ingredient] = reading.ingredients
    assert ingredient["relationship"] == "inputTo" and ingredient["title"] == film.title
    assert ingredient["film"]["film_id"] == film.pk  # Alice's own signed manifest, carried inside


def test_a_key_that_does_not_match_its_certificate_fails_the_render_with_a_reason(site_signing, settings, tmp_path):
    settings.SIGNING_CERT, settings.SIGNING_KEY = map(str, make_operator_files(tmp_path / "operator", other_key=True))
    forget_site_credentials()
    spec = make_film(tmp_path, shots=[one_shot("wide", duration=0.5)])
    with pytest.raises(RenderError, match="Content Credentials.*operator"):
        render_film_files(spec, tmp_path, backend=PreviewBackend())
