"""Content Credentials and the AIGC field of a film, read back with the C2PA project's own reader
and with PyAV: what a signed film says, that changed bytes show, that a remix names its parent."""
import json

import av
import pytest

from inference.media.provenance import (AIGC_FIELDS, FILM_ASSERTION, TRAINED_ALGORITHMIC_MEDIA, ProvenanceError,
                                        read_aigc, read_manifest, sign_file)
from inference.media.signing import Credentials, self_made_credentials
from inference.specs import ParentFilm
from tests.support.provenance import signed_film, tampered, write_plain_film


@pytest.fixture
def ours(tmp_path):
    return self_made_credentials(tmp_path / "signing", "Test Theatre")


def raw_store(path, credentials):
    from c2pa import Context, Reader

    with Context.from_dict({"verify": {"remote_manifest_fetch": False},
                            "trust": {"user_anchors": credentials.anchors_pem}}) as context, \
            Reader(str(path), context=context) as reader:
        return json.loads(reader.json())


def test_a_signed_film_reads_trusted_with_the_expected_assertions(tmp_path, ours):
    path, stamp = signed_film(tmp_path / "film.mp4", ours, film_id=42)
    reading = read_manifest(path, trust_anchors=ours.anchors_pem)
    assert reading.found == "manifest" and reading.state == "Trusted" and reading.failures == []
    assert reading.intact and not reading.tampered and reading.ai_generated
    assert reading.claim_generator == ["AI Little Theatre"]
    assert reading.signer["common_name"] == "Test Theatre"
    [created] = reading.actions
    assert created["action"] == "c2pa.created" and created["source_type"] == TRAINED_ALGORITHMIC_MEDIA
    assert created["agent"] == "preview-animatic-1" and created["when"] == stamp.when
    assert reading.film["film_id"] == 42 and reading.film["backend"] == "preview" and reading.film["seed"] == 7
    assert reading.film["aigc"] == stamp.aigc

    store = raw_store(path, ours)
    assert store["active_manifest"] == stamp.manifest_label
    labels = [a["label"] for a in store["manifests"][stamp.manifest_label]["assertions"]]
    assert {"c2pa.actions.v2", FILM_ASSERTION} <= set(labels) and any(l.startswith("c2pa.hash.bmff") for l in labels)


def test_without_our_ca_the_same_film_is_intact_but_its_signer_unknown(tmp_path, ours):
    path, _stamp = signed_film(tmp_path / "film.mp4", ours)
    reading = read_manifest(path)
    assert reading.state == "Valid" and reading.failure_codes == ["signingCredential.untrusted"]
    assert reading.intact and not reading.trusted


def test_the_aigc_field_is_in_the_file_as_the_standard_names_it(tmp_path, ours):
    path, stamp = signed_film(tmp_path / "film.mp4", ours, film_id=42)
    with av.open(str(path)) as container:
        value = json.loads(container.metadata["AIGC"])  # the key itself, not only the comment
        comment = json.loads(container.metadata["comment"])
    assert list(value) == list(AIGC_FIELDS)
    assert value == {"Label": "1", "ContentProducer": "Test Theatre", "ProduceID": "42",
                     "ReservedCode1": stamp.manifest_label, "ContentPropagator": "Test Theatre", "PropagateID": "42",
                     "ReservedCode2": ""}
    assert comment["AIGC"] == value and comment["ai_generated"] is True  # survives a remux that drops the key
    assert read_aigc(path) == value


def test_a_film_whose_bytes_changed_reads_as_tampered(tmp_path, ours):
    path, _stamp = signed_film(tmp_path / "film.mp4", ours)
    changed = tmp_path / "changed.mp4"
    changed.write_bytes(tampered(path.read_bytes()))
    reading = read_manifest(changed, trust_anchors=ours.anchors_pem)
    assert reading.state == "Invalid" and reading.tampered and not reading.intact
    assert "assertion.bmffHash.mismatch" in reading.failure_codes


def test_rewriting_the_aigc_field_after_signing_reads_as_tampered(tmp_path, ours):
    path, _stamp = signed_film(tmp_path / "film.mp4", ours)
    data = path.read_bytes()
    assert data.count(b'"ContentPropagator":"Test Theatre"') == 1  # the AIGC key, written compact
    changed = tmp_path / "relabelled.mp4"
    changed.write_bytes(data.replace(b'"ContentPropagator":"Test Theatre"', b'"ContentPropagator":"Else Theatre"'))
    assert read_aigc(changed)["ContentPropagator"] == "Else Theatre"
    assert read_manifest(changed, trust_anchors=ours.anchors_pem).tampered


def test_a_remix_names_its_parent_and_carries_its_manifest(tmp_path, ours):
    parent, _ = signed_film(tmp_path / "parent.mp4", ours, film_id=41, title="Balcony Duet")
    remix, _ = signed_film(tmp_path / "remix.mp4", ours, film_id=42, parent=ParentFilm(41, "Balcony Duet", parent))
    reading = read_manifest(remix, trust_anchors=ours.anchors_pem)
    assert reading.state == "Trusted" and reading.film["remix_of"] == 41
    [ingredient] = reading.ingredients
    assert ingredient["relationship"] == "inputTo" and ingredient["title"] == "Balcony Duet"
    assert ingredient["film"]["film_id"] == 41  # the parent's own signed manifest, inside the remix's
    assert reading.actions[0]["action"] == "c2pa.created"


def test_a_remix_whose_parent_file_is_gone_still_names_it(tmp_path, ours):
    remix, _ = signed_film(tmp_path / "remix.mp4", ours, film_id=42, parent=ParentFilm(41, "Balcony Duet", None))
    reading = read_manifest(remix, trust_anchors=ours.anchors_pem)
    assert reading.intact and reading.film["remix_of"] == 41 and reading.ingredients == []


def test_plain_and_junk_files_say_so_without_raising(tmp_path):
    plain = write_plain_film(tmp_path / "plain.mp4")
    (tmp_path / "junk.mp4").write_bytes(b"\x00\x01not a film" * 300)
    (tmp_path / "empty.mp4").write_bytes(b"")
    (tmp_path / "cut.mp4").write_bytes(plain.read_bytes()[:900])
    assert read_manifest(plain).found == "none"
    for name in ("junk.mp4", "empty.mp4"):
        assert read_manifest(tmp_path / name).found == "unreadable"
        assert read_aigc(tmp_path / name) is None
    assert read_manifest(tmp_path / "cut.mp4").found in ("none", "unreadable")
    with open(plain, "rb") as stream:  # an open file reads the same as a path
        assert read_manifest(stream).found == "none"


def test_a_key_that_does_not_sign_leaves_the_unsigned_film_and_no_partial_file(tmp_path, ours, tmp_path_factory):
    other = self_made_credentials(tmp_path_factory.mktemp("other") / "signing", "Other")
    broken = Credentials(chain_pem=ours.chain_pem, key_pem=other.key_pem, alg="es256", self_signed=True, source="x")
    path = write_plain_film(tmp_path / "film.mp4")
    before = path.read_bytes()
    with pytest.raises(ProvenanceError):
        sign_file(path, {"claim_generator_info": [{"name": "t"}], "title": "t", "format": "video/mp4",
                         "assertions": []}, broken)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["film.mp4", "signing"]
