"""The site's signing certificate: made once and kept, or the operator's own files, checked at load."""
import datetime as dt
import stat
from concurrent.futures import ThreadPoolExecutor

import pytest

from inference.media.provenance import read_manifest
from inference.media.signing import SigningError, load_credentials, self_made_credentials
from tests.support.provenance import make_operator_files, signed_film


def test_the_site_makes_its_pair_once_and_keeps_it(tmp_path):
    folder = tmp_path / "signing"
    first = self_made_credentials(folder, "Test Theatre")
    again = self_made_credentials(folder, "Another Name")
    assert first.self_signed and first.alg == "es256" and first.subject == "Test Theatre"
    assert again.chain_pem == first.chain_pem and again.key_pem == first.key_pem
    assert sorted(p.name for p in folder.iterdir()) == ["ca.key", "ca.pem", "chain.pem", "signer.key"]
    for key in ("ca.key", "signer.key"):
        assert stat.S_IMODE((folder / key).stat().st_mode) == 0o600
    assert len(first.certificates) == 2 and first.anchors_pem.count("BEGIN CERTIFICATE") == 1
    assert first.expires > dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=15 * 365)


def test_processes_starting_at_once_agree_on_one_pair(tmp_path):
    folder = tmp_path / "signing"
    with ThreadPoolExecutor(6) as pool:
        chains = set(pool.map(lambda _: self_made_credentials(folder, "Test Theatre").chain_pem, range(12)))
    assert len(chains) == 1
    assert [p.name for p in tmp_path.iterdir()] == ["signing"]  # no drafts left behind


@pytest.mark.parametrize("key_format, password", [("sec1", None), ("pkcs8", "s3cret")])
def test_an_operators_key_in_another_form_is_loaded_and_signs(tmp_path, key_format, password):
    chain, key = make_operator_files(tmp_path / "operator", key_format=key_format, password=password)
    credentials = load_credentials(chain, key, password or "")
    assert credentials.key_pem.startswith(b"-----BEGIN PRIVATE KEY-----") and not credentials.self_signed
    path, _stamp = signed_film(tmp_path / "film.mp4", credentials)
    reading = read_manifest(path, trust_anchors=credentials.anchors_pem)
    assert reading.state == "Trusted" and reading.signer["common_name"] == "Operator Films"


@pytest.mark.parametrize("problem, message", [
    ({"other_key": True}, "does not belong"),
    ({"days": -1}, "not valid today"),
    ({"password": "s3cret"}, "SIGNING_KEY_PASSWORD"),
])
def test_an_operators_files_that_cannot_sign_are_refused_at_load(tmp_path, problem, message):
    chain, key = make_operator_files(tmp_path / "operator", **problem)
    with pytest.raises(SigningError, match=message):
        load_credentials(chain, key, "" if "password" in problem else "")


def test_missing_or_garbled_files_are_refused_with_their_name(tmp_path):
    (tmp_path / "chain.pem").write_text("not a certificate")
    (tmp_path / "key.pem").write_text("not a key")
    with pytest.raises(SigningError, match="cannot read"):
        load_credentials(tmp_path / "missing.pem", tmp_path / "key.pem")
    with pytest.raises(SigningError, match="chain.pem is not a PEM certificate chain"):
        load_credentials(tmp_path / "chain.pem", tmp_path / "key.pem")
