"""What a film's file says about where it came from, in the two forms the rules and the checkers read:

- the GB 45438-2025 implicit label: an `AIGC` metadata field holding its seven named values, written
  into the MP4 by FilmWriter (the same object also sits in the provenance comment, which survives a
  plain remux that drops the `AIGC` key);
- a C2PA manifest (Content Credentials, EU AI Act Art. 50(2)), made and signed with the C2PA
  project's own library: `c2pa.created` by a trained algorithmic model, the model, the software,
  and for a remix the film it came from.

Signing happens after the encoder has closed the file, into a second file that replaces the first,
so a film is never stored half-signed. Reading never fetches anything over the network.
"""
import datetime as dt
import json
import os
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from inference.specs import ParentFilm

SOFTWARE = {"name": "AI Little Theatre", "version": "0.1.0"}
FILM_ASSERTION = "org.ailittletheatre.film"
IPTC = "http://cv.iptc.org/newscodes/digitalsourcetype/"
TRAINED_ALGORITHMIC_MEDIA = IPTC + "trainedAlgorithmicMedia"
# Digital source types that say "made by AI" (IPTC's vocabulary, which C2PA uses).
AI_SOURCE_TYPES = {IPTC + name for name in ("trainedAlgorithmicMedia", "compositeWithTrainedAlgorithmicMedia",
                                            "algorithmicMedia", "compositeSynthetic")}
# GB 45438-2025, annex on file metadata: the field is named AIGC and holds these, in this order.
AIGC_FIELDS = ("Label", "ContentProducer", "ProduceID", "ReservedCode1", "ContentPropagator", "PropagateID",
               "ReservedCode2")
# Failures that mean the bytes or the manifest changed after signing, as c2pa-rs names them.
TAMPERING = ("assertion.bmffHash.mismatch", "assertion.dataHash.mismatch", "assertion.boxesHash.mismatch",
             "assertion.hashedURI.mismatch", "claimSignature.mismatch", "assertion.collectionHash.mismatch")
UNTRUSTED = "signingCredential.untrusted"

SIGN_SETTINGS = {
    # No thumbnail (c2pa makes none for video anyway); verify_after_sign reads the new file back,
    # which costs a hash pass and catches a key that does not match its certificate.
    "builder": {"thumbnail": {"enabled": False}},
    "verify": {"verify_after_sign": True, "remote_manifest_fetch": False, "ocsp_fetch": False},
}


class ProvenanceError(Exception):
    """The film could not be signed; the message is for the operator's log."""


# --- writing -------------------------------------------------------------------------------------

@dataclass
class FilmStamp:
    """Everything a film's file is stamped with, decided before the encoder opens the file (the AIGC
    value names the manifest, and the manifest covers the metadata), then signed after it closes."""

    film_id: int | None
    title: str
    backend: str
    model: str
    seed: int | None
    language: str
    site: str  # the site's name: who made the film
    producer: str  # ContentProducer / ContentPropagator: the site's name or its registered code
    parent: ParentFilm | None = None
    # Whose the sound is: "model" (the generator made it with the picture), "synthetic" (our voice
    # plan spoke the lines over a silent generator), "none" (no lines, no sound from the model).
    sound: str = ""
    manifest_label: str = field(default_factory=lambda: f"urn:c2pa:{uuid.uuid4()}")
    when: str = field(default_factory=lambda: dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"))

    @classmethod
    def for_film(cls, spec, backend, *, site: str, producer: str = "", sound: str = "") -> "FilmStamp":
        """The stamp of a film about to be rendered from `spec` by `backend`."""
        return cls(film_id=spec.film_id, title=spec.title, backend=backend.name, model=backend.model,
                   seed=spec.seed, language=spec.language, site=site, producer=producer or site,
                   parent=spec.parent, sound=sound)

    @property
    def aigc(self) -> dict:
        """The implicit label. Label "1": AI-generated (the standard's values: 1 is, 2 may be, 3 is
        suspected to be). The site makes and also publishes the film, so it is producer and
        propagator; ReservedCode1 links the label to the C2PA manifest (our choice; the standard
        leaves the reserved fields to the provider)."""
        film = "" if self.film_id is None else str(self.film_id)
        return {"Label": "1", "ContentProducer": self.producer, "ProduceID": film,
                "ReservedCode1": self.manifest_label, "ContentPropagator": self.producer,
                "PropagateID": film, "ReservedCode2": ""}

    @property
    def metadata(self) -> dict:
        """What the FilmWriter adds to the provenance record (and writes as the AIGC field)."""
        return {"AIGC": self.aigc, "site": self.site, "manifest": self.manifest_label,
                "language": self.language, "remix_of": self.parent.film_id if self.parent else None,
                "sound": self.sound}

    def manifest(self) -> dict:
        model = public_model_name(self.model)
        film = {"film_id": self.film_id, "title": self.title, "site": self.site, "backend": self.backend,
                "model": model, "seed": self.seed, "language": self.language, "created": self.when,
                "sound": self.sound, "aigc": self.aigc}
        created = {"action": "c2pa.created", "digitalSourceType": TRAINED_ALGORITHMIC_MEDIA, "when": self.when,
                   "softwareAgent": {"name": model or self.backend},
                   "parameters": {"backend": self.backend, "model": model, "sound": self.sound}}
        if self.parent:
            film["remix_of"] = self.parent.film_id
            if self.parent.video:
                created["parameters"]["ingredientIds"] = ["parent-film"]
        return {
            "claim_generator_info": [SOFTWARE],
            "title": self.title or "Film",
            "format": "video/mp4",
            "label": self.manifest_label,
            "assertions": [
                {"label": "c2pa.actions", "data": {"actions": [created]}},
                {"label": FILM_ASSERTION, "data": film},
            ],
        }

    def sign(self, path, credentials, *, mime="video/mp4"):
        """Embeds the signed manifest in the file at `path` (replaced only once signed)."""
        sign_file(path, self.manifest(), credentials, mime=mime, parent=self.parent)


def public_model_name(model: str) -> str:
    """A model as the file may say it: a local weights folder is named by its last part, so the
    server's paths stay on the server."""
    return Path(model).name if model and os.path.isabs(model) else (model or "")


def sign_file(path, manifest: dict, credentials, *, mime="video/mp4", parent: ParentFilm | None = None):
    """Signs `path` with a manifest (c2pa-python), writing a second file and renaming it over the first.

    A remix names its parent as an `inputTo` ingredient, with the parent's own manifest carried
    inside: C2PA's `parentOf` means "this file is an edit of that one", but a remix re-renders the
    parent's script, seed and cast through the model, and "input to a computational process, such
    as an AI/ML model, that led to the creation of this asset" is what `inputTo` says."""
    from c2pa import Builder, C2paError, C2paSignerInfo, Context, Signer

    path = Path(path)
    signed = path.with_name(f".{path.stem}.{os.getpid()}.signed{path.suffix}")
    try:
        with Context.from_dict(SIGN_SETTINGS) as context, \
                Signer.from_info(C2paSignerInfo(alg=credentials.alg, sign_cert=credentials.chain_pem,
                                                private_key=credentials.key_pem, ta_url=None)) as signer, \
                Builder(manifest, context=context) as builder:
            if parent and parent.video and Path(parent.video).exists():
                with open(parent.video, "rb") as source:
                    builder.add_ingredient({"title": parent.title or "Film", "relationship": "inputTo",
                                            "label": "parent-film"}, "video/mp4", source)
            with open(path, "rb") as source, open(signed, "w+b") as target:
                builder.sign(signer, mime, source, target)
        os.replace(signed, path)
    except C2paError as error:
        raise ProvenanceError(f"signing {path.name} failed: {error}") from error
    finally:
        signed.unlink(missing_ok=True)


# --- reading -------------------------------------------------------------------------------------

@dataclass
class Reading:
    """What c2pa's reader found in a file, as plain data. `found` is "manifest", "none" (no Content
    Credentials) or "unreadable" (not a file the library reads, or broken)."""

    found: str
    state: str = ""  # Trusted, Valid or Invalid
    failures: list = field(default_factory=list)  # [{"code", "explanation"}]
    title: str = ""
    claim_generator: list = field(default_factory=list)  # names of the software that made the claim
    signer: dict = field(default_factory=dict)  # common_name, issuer, serial, alg, time
    actions: list = field(default_factory=list)  # [{"action", "when", "agent", "source_type"}]
    film: dict | None = None  # our own assertion, when the signer wrote one
    ingredients: list = field(default_factory=list)  # [{"title", "relationship", "film"}]
    detail: str = ""

    @property
    def failure_codes(self) -> list[str]:
        return [f["code"] for f in self.failures]

    @property
    def tampered(self) -> bool:
        return any(code.startswith(TAMPERING) for code in self.failure_codes)

    @property
    def intact(self) -> bool:
        """Signed and unchanged since; whether the signer is trusted is a separate question."""
        return self.found == "manifest" and not [c for c in self.failure_codes if c != UNTRUSTED]

    @property
    def trusted(self) -> bool:
        return self.state == "Trusted"

    @property
    def ai_generated(self) -> bool:
        return any(a.get("source_type") in AI_SOURCE_TYPES for a in self.actions)


def read_manifest(source, *, trust_anchors: str = "") -> Reading:
    """Reads and validates the Content Credentials of a file (a path or a binary file object; the
    type is sniffed from the bytes, since an upload's name and type say nothing). Never raises for
    what is in the file. `trust_anchors`: PEM CA certificates whose files read Trusted."""
    from c2pa import C2paError, Context, Reader

    settings = {"verify": {"remote_manifest_fetch": False, "ocsp_fetch": False}}
    if trust_anchors:
        settings["trust"] = {"user_anchors": trust_anchors}  # adds to c2pa's own list
    try:
        with Context.from_dict(settings) as context:
            if isinstance(source, (str, Path)):
                reader = Reader(str(source), context=context)
            else:
                source.seek(0)
                reader = Reader(source, context=context)
            with reader:
                state = reader.get_validation_state() or ""
                results = reader.get_validation_results() or {}
                store = json.loads(reader.json())
    except C2paError.ManifestNotFound as error:
        return Reading("none", detail=str(error))
    except (C2paError, ValueError, OSError) as error:  # not a type it reads, broken boxes, junk
        return Reading("unreadable", detail=f"{type(error).__name__}: {error}")
    return _reading(store, state, results)


def _reading(store, state, results) -> Reading:
    manifests = store.get("manifests") or {}
    active = manifests.get(store.get("active_manifest")) or {}
    failures = [{"code": f.get("code", ""), "explanation": f.get("explanation", "")}
                for f in (results.get("activeManifest") or {}).get("failure", [])]
    if not results and store.get("validation_status"):  # older readers report a flat list
        failures = [{"code": f.get("code", ""), "explanation": f.get("explanation", "")}
                    for f in store["validation_status"]]
    signature = active.get("signature_info") or {}
    return Reading(
        "manifest", state=state, failures=failures, title=active.get("title") or "",
        claim_generator=[g.get("name", "") for g in active.get("claim_generator_info") or [] if isinstance(g, dict)],
        signer={"common_name": signature.get("common_name") or "", "issuer": signature.get("issuer") or "",
                "serial": str(signature.get("cert_serial_number") or ""), "alg": signature.get("alg") or "",
                "time": signature.get("time") or ""},
        actions=[{"action": a.get("action", ""), "when": a.get("when", ""),
                  "agent": _agent_name(a.get("softwareAgent")), "source_type": a.get("digitalSourceType", "")}
                 for a in _actions(active)],
        film=_assertion(active, FILM_ASSERTION),
        ingredients=[{"title": i.get("title") or "", "relationship": i.get("relationship") or "",
                      "film": _assertion(manifests.get(i.get("active_manifest")) or {}, FILM_ASSERTION)}
                     for i in active.get("ingredients") or []],
    )


def _actions(manifest):
    for assertion in manifest.get("assertions") or []:
        if str(assertion.get("label", "")).startswith("c2pa.actions"):
            yield from (assertion.get("data") or {}).get("actions") or []


def _assertion(manifest, label):
    found = next((a.get("data") for a in manifest.get("assertions") or [] if a.get("label") == label), None)
    return found if isinstance(found, dict) else None


def _agent_name(agent):
    if isinstance(agent, dict):
        return " ".join(str(agent[k]) for k in ("name", "version") if agent.get(k))
    return str(agent or "")


def read_aigc(source) -> dict | None:
    """The GB 45438 implicit label of a media file (the `AIGC` metadata field, or the same object
    inside the provenance comment), read with PyAV; None when there is none or the file is not media."""
    import av

    try:
        if not isinstance(source, (str, Path)):
            source.seek(0)
        with av.open(source if not isinstance(source, Path) else str(source), metadata_errors="ignore") as container:
            metadata = dict(container.metadata)
    except (av.FFmpegError, OSError, ValueError, UnicodeDecodeError):
        return None
    for raw in (metadata.get("AIGC"), metadata.get("aigc"), metadata.get("comment")):
        try:
            value = json.loads(raw) if raw else None
        except ValueError:
            continue
        if isinstance(value, dict) and isinstance(value.get("AIGC"), dict):
            value = value["AIGC"]
        if isinstance(value, dict) and "Label" in value:
            return {name: str(value.get(name, "")) for name in AIGC_FIELDS}
    return None
