"""What /verify/ says about a file, judged by plain functions: made here, made elsewhere, changed
after signing, no Content Credentials, not a file at all; and which film an address points at,
through the access gate only."""
import pytest
from django.core.files.base import ContentFile

from inference.media.signing import self_made_credentials
from theatre.services.verification import CheckRefused, aigc_rows, check_address, check_file, film_at
from theatre.models import ShareLink

from tests.support.filmmaking import make_film
from tests.support.provenance import signed_film, tampered, write_plain_film

HOSTS = {"testserver", "theatre.example.org"}


@pytest.fixture
def made_here(site_signing, tmp_path):
    path, _stamp = signed_film(tmp_path / "here.mp4", site_signing, film_id=42)
    return path


def facts(verdict):
    return dict(verdict.facts)


def test_a_film_made_here_says_so_with_who_which_model_and_when(made_here):
    verdict = check_file(made_here)
    assert verdict.kind == "here" and verdict.good and verdict.problems == []
    assert "Test Theatre" in verdict.explanation
    said = facts(verdict)
    assert said["Signed by"] == "Test Theatre" and said["Made with"] == "AI Little Theatre"
    assert said["Model"] == "preview-animatic-1" and said["Renderer"] == "the CPU preview renderer"
    assert said["Made by AI"].startswith("Yes") and said["Made on (as signed)"].year >= 2025
    assert said["Film"] == "“Balcony Duet”, film 42 on Test Theatre"
    assert dict((name, value) for name, value, _meaning in aigc_rows(verdict.aigc))["ProduceID"] == "42"


def test_a_tampered_copy_of_a_film_made_here_says_it_changed(made_here, tmp_path):
    changed = tmp_path / "changed.mp4"
    changed.write_bytes(tampered(made_here.read_bytes()))
    verdict = check_file(changed)
    assert verdict.kind == "tampered" and not verdict.good
    assert "Test Theatre" in verdict.explanation and "changed after it was signed" in verdict.explanation
    assert verdict.problems  # what the validator found


def test_a_file_signed_by_someone_else_is_made_elsewhere_with_an_unknown_signer(site_signing, tmp_path):
    theirs = self_made_credentials(tmp_path / "other", "Other Studio")
    path, _stamp = signed_film(tmp_path / "theirs.mp4", theirs, site="Other Studio")
    verdict = check_file(path)
    assert verdict.kind == "elsewhere" and "Other Studio" in verdict.explanation
    assert "not on this site's trust list" in verdict.explanation


def test_a_signer_the_operator_trusts_is_said_to_be_trusted(site_signing, tmp_path, settings):
    theirs = self_made_credentials(tmp_path / "other", "Partner Studio")
    (tmp_path / "anchors.pem").write_text(theirs.anchors_pem)
    settings.C2PA_TRUST_ANCHORS = str(tmp_path / "anchors.pem")
    path, _stamp = signed_film(tmp_path / "theirs.mp4", theirs, site="Partner Studio")
    verdict = check_file(path)
    assert verdict.kind == "elsewhere" and "is on this site's trust list" in verdict.explanation


def test_films_signed_with_the_sites_own_pair_stay_ours_after_the_operator_sets_theirs(made_here, settings, tmp_path):
    from inference.media.signing import forget_site_credentials
    from tests.support.provenance import make_operator_files

    settings.SIGNING_CERT, settings.SIGNING_KEY = map(str, make_operator_files(tmp_path / "operator"))
    forget_site_credentials()
    assert check_file(made_here).kind == "here"


def test_a_file_without_credentials_says_so_and_shows_an_unsigned_aigc_label(site_signing, tmp_path):
    from tests.support.provenance import stamp_for

    plain = write_plain_film(tmp_path / "plain.mp4")
    labelled = write_plain_film(tmp_path / "labelled.mp4", stamp_for(7))
    assert check_file(plain).kind == "none" and check_file(plain).aigc is None
    verdict = check_file(labelled)
    assert verdict.kind == "none" and verdict.aigc["ProduceID"] == "7" and "not signed" in verdict.explanation


def test_junk_is_not_a_file_we_can_check(site_signing, tmp_path):
    (tmp_path / "junk").write_bytes(b"%PDF-1.4 not a video" * 50)
    verdict = check_file(tmp_path / "junk")
    assert verdict.kind == "unreadable" and verdict.facts == []


# --- addresses -----------------------------------------------------------------------------------

@pytest.fixture
def film_here(private_media, alice, site_signing, tmp_path):
    film = make_film(alice, title="Balcony Duet")
    path, _stamp = signed_film(tmp_path / "stored.mp4", site_signing, film_id=film.pk)
    film.video.save("film.mp4", ContentFile(path.read_bytes()), save=True)
    return film


def test_the_owner_checks_a_film_by_its_page_address(film_here, alice):
    for address in (f"https://theatre.example.org/films/{film_here.pk}/", f"/films/{film_here.pk}/video",
                    f"theatre.example.org/films/{film_here.pk}/download"):
        assert film_at(alice, address, hosts=HOSTS) == film_here
    verdict = check_address(alice, f"http://testserver/films/{film_here.pk}/", hosts=HOSTS)
    assert verdict.kind == "here" and verdict.film_url == film_here.get_absolute_url()


def test_the_answer_links_to_the_film_only_for_those_who_may_watch_it(film_here, alice, bob):
    with film_here.video.open("rb") as video:
        assert check_file(video, alice).film_url == film_here.get_absolute_url()
    with film_here.video.open("rb") as video:
        verdict = check_file(video, bob)
    assert verdict.kind == "here" and verdict.film_url == ""


def test_anyone_with_a_working_share_link_may_check_it_and_nobody_else(film_here, bob):
    from django.contrib.auth.models import AnonymousUser

    link = ShareLink.objects.create(film=film_here)
    assert film_at(AnonymousUser(), f"/s/{link.token}/", hosts=HOSTS) == film_here
    for user, address in ((bob, f"/films/{film_here.pk}/"), (AnonymousUser(), f"/films/{film_here.pk}/")):
        with pytest.raises(CheckRefused, match="no film you may watch"):
            film_at(user, address, hosts=HOSTS)
    link.revoked_at = link.created
    link.save()
    with pytest.raises(CheckRefused, match="no film you may watch"):
        film_at(AnonymousUser(), f"/s/{link.token}/", hosts=HOSTS)


@pytest.mark.parametrize("address, message", [
    ("https://evil.example.com/films/1/", "Only films on this site"),
    ("http://169.254.169.254/latest/meta-data/", "Only films on this site"),
    ("/avatars/1/", "not the address of a film"),
    ("/films/99999999999999999999999/", "no film you may watch"),
    ("javascript:alert(1)", "Only films on this site"),
    ("file:///etc/passwd", "Only films on this site"),
    ("", "not the address of a film"),
])
def test_other_addresses_are_refused_without_being_fetched(db, alice, address, message):
    with pytest.raises(CheckRefused, match=message):
        film_at(alice, address, hosts=HOSTS)
