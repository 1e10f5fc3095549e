"""The signing certificate as an operator meets it: made on first start by `manage.py signing`
(which `./run site` runs), called self-signed in the admin, and an operator's broken files stop
the start with the reason."""
import lxml.html
import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from inference.media.signing import forget_site_credentials
from tests.support.provenance import make_operator_files


@pytest.fixture
def staff_client(client, db):
    client.force_login(get_user_model().objects.create_superuser("staff", "staff@example.com", "a-Long-pass-4-tests"))
    return client


def notice(client):
    response = client.get("/admin/")
    assert response.status_code == 200
    return lxml.html.fromstring(response.content.decode()).get_element_by_id("signing-notice")


def test_the_first_start_makes_the_sites_own_certificate(settings, tmp_path, capsys):
    settings.SIGNING_DIR, settings.SITE_NAME = tmp_path / "var" / "signing", "Test Theatre"
    settings.SIGNING_CERT = settings.SIGNING_KEY = ""
    forget_site_credentials()
    call_command("signing")
    assert (tmp_path / "var" / "signing" / "chain.pem").exists()
    assert "Films are signed as 'Test Theatre' (self-signed, made by this site" in capsys.readouterr().out


def test_the_admin_says_the_certificate_is_self_signed(staff_client, site_signing):
    text = notice(staff_client).text_content()
    assert "self-signed" in text and "Test Theatre" in text and "SIGNING_CERT" in text
    assert "errornote" in notice(staff_client).get("class")


def test_an_operators_certificate_is_named_without_a_warning(staff_client, site_signing, settings, tmp_path):
    settings.SIGNING_CERT, settings.SIGNING_KEY = map(str, make_operator_files(tmp_path / "operator"))
    forget_site_credentials()
    element = notice(staff_client)
    assert "Operator Films" in element.text_content() and "self-signed" not in element.text_content()
    assert element.get("class") is None


def test_files_that_cannot_sign_stop_the_start_and_show_in_the_admin(staff_client, site_signing, settings, tmp_path):
    settings.SIGNING_CERT, settings.SIGNING_KEY = map(str, make_operator_files(tmp_path / "operator", other_key=True))
    forget_site_credentials()
    with pytest.raises(CommandError, match="does not belong"):
        call_command("signing")
    assert "renders fail" in notice(staff_client).text_content()
    settings.SIGNING_KEY = ""
    forget_site_credentials()
    with pytest.raises(CommandError, match="set both SIGNING_CERT and SIGNING_KEY"):
        call_command("signing")
