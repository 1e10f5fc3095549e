"""Checking a file's Content Credentials, for /verify/: whether it was made here or elsewhere, by
whom, with which model and when, whether it changed since it was signed, and its GB 45438 label, in
words anyone can read. The file is an upload, or a film of this site found from the address of its
page (through the access gate: only a film the visitor may watch, or one behind a working share
link). Nothing is ever fetched from another address."""
import datetime as dt
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.conf import settings
from django.http import Http404
from django.urls import Resolver404, resolve, reverse
from django.utils.translation import gettext as _

from inference.media.provenance import AIGC_FIELDS, read_aigc, read_manifest
from theatre.services.access import get_film_for, get_shared_film, visible_films
from theatre.services.sharing import renderer_name

# The routes of a film's page and files, by the keyword that names the film.
FILM_ROUTES = {"film": "film_id", "film_video": "film_id", "film_download": "film_id"}
SHARED_ROUTES = {"shared": "token", "shared_video": "token", "shared_download": "token"}
KINDS = ("here", "elsewhere", "tampered", "invalid", "none", "unreadable")


class CheckRefused(Exception):
    """The address cannot be checked; the message says why, to the visitor."""


@dataclass
class Verdict:
    """What the page says about a file: a kind (one of KINDS), a headline and a sentence, the facts
    its manifest states, and its GB 45438 label."""

    kind: str
    headline: str
    explanation: str
    facts: list = field(default_factory=list)  # (label, value) pairs; a value may be a datetime
    problems: list = field(default_factory=list)  # what the validator reported, for a failed check
    aigc: dict | None = None
    film_url: str = ""  # the film's page, when it was made here and the visitor may watch it

    @property
    def good(self):
        return self.kind in ("here", "elsewhere")

    @property
    def mark(self):
        return "✓" if self.good else "✗" if self.kind in ("tampered", "invalid") else "?"

    @property
    def tone(self):  # the badge's colour
        return "done" if self.good else "failed" if self.kind in ("tampered", "invalid") else ""


def check_file(source, user=None) -> Verdict:
    """Reads and judges a file (a path or a binary file object)."""
    from inference.media.signing import known_signers, trust_anchors

    reading = read_manifest(source, trust_anchors=trust_anchors())
    verdict = judge(reading, read_aigc(source), ours=known_signers(), site=settings.SITE_NAME)
    film_id = (reading.film or {}).get("film_id")
    if verdict.kind == "here" and isinstance(film_id, int) and visible_films(user).filter(pk=film_id).exists():
        verdict.film_url = reverse("theatre:film", args=[film_id])
    return verdict


def check_address(user, address, *, hosts) -> Verdict:
    """Checks the file of the film at `address` (its page, share link or file on this site)."""
    film = film_at(user, address, hosts=hosts)
    with film.video.open("rb") as video:
        return check_file(video, user)


def film_at(user, address, *, hosts):
    """The film a page or file address of this site points at, if `user` may watch it (or the
    address is a working share link); CheckRefused otherwise. `hosts`: this site's host names."""
    address = address.strip()
    if not address.startswith(("http://", "https://", "/")):
        address = "//" + address  # "theatre.example.org/films/3/": a host without its scheme
    parts = urlsplit(address)
    if parts.netloc and parts.netloc.lower() not in {h.lower() for h in hosts}:
        raise CheckRefused(_("Only films on this site can be checked by address. To check another file, upload it."))
    try:
        match = resolve(parts.path or "/")
    except Resolver404:
        match = None
    if match is None or match.namespace != "theatre" or match.url_name not in {**FILM_ROUTES, **SHARED_ROUTES}:
        raise CheckRefused(_("That is not the address of a film on this site. Paste the address of a film's page or share link."))
    try:
        if match.url_name in FILM_ROUTES:
            film = get_film_for(user, match.kwargs["film_id"])
        else:
            film = get_shared_film(match.kwargs["token"])
    except Http404:
        raise CheckRefused(_("There is no film you may watch at that address. A share link stops working once it is revoked or expires.")) from None
    if not film.video:
        raise CheckRefused(_("That film has no file yet: it has not finished rendering."))
    return film


# --- judging -------------------------------------------------------------------------------------

def judge(reading, aigc, *, ours, site) -> Verdict:
    """What a reading means for a person. `ours`: serial numbers of this site's signing
    certificates; `site`: this site's name."""
    if reading.found == "unreadable":
        return Verdict("unreadable", _("Not a file we can check"),
                       _("It is not an image or video type that carries Content Credentials, or it is damaged. "
                         "Try an MP4, MOV, JPEG, PNG or WebP file."), aigc=aigc)
    if reading.found == "none":
        explanation = _("It carries no signed record of where it came from. Films made here carry one; it is lost "
                        "when a file is re-encoded, edited or recorded from a screen.")
        if aigc:
            explanation += " " + _("It does have a GB 45438 AIGC label (below), but that label is not signed: "
                                   "anyone could have written it.")
        return Verdict("none", _("No Content Credentials"), explanation, aigc=aigc)
    signer = reading.signer.get("common_name") or reading.signer.get("issuer") or _("an unknown signer")
    facts = _facts(reading, site)
    problems = [f["explanation"] or f["code"] for f in reading.failures if f["code"] != "signingCredential.untrusted"]
    claims_here = reading.signer.get("serial") in ours  # signed with one of this site's certificates
    if reading.tampered:
        explanation = (_("Its Content Credentials say %(site)s made it, but the file changed after it was signed: "
                         "someone edited, cut or re-encoded it. Do not rely on what it says below.") % {"site": site}
                       if claims_here else
                       _("The file changed after %(signer)s signed it: someone edited, cut or re-encoded it. "
                         "Do not rely on what it says below.") % {"signer": signer})
        return Verdict("tampered", _("Changed after it was signed"), explanation, facts, problems, aigc)
    if not reading.intact:
        return Verdict("invalid", _("Its Content Credentials do not check out"),
                       _("The file has a signed record, but its signature cannot be relied on."), facts, problems, aigc)
    if claims_here:
        return Verdict("here", _("Made here, and unchanged since"),
                       _("%(site)s signed this file when it rendered the film, and nothing in it has changed since.")
                       % {"site": site}, facts, aigc=aigc)
    if reading.trusted:
        explanation = _("%(signer)s signed it, and nothing in it has changed since. Their certificate is on this "
                        "site's trust list.") % {"signer": signer}
    else:
        explanation = _("%(signer)s signed it, and nothing in it has changed since. Their certificate is not on "
                        "this site's trust list, so we cannot tell you who they really are.") % {"signer": signer}
    return Verdict("elsewhere", _("Made elsewhere, and unchanged since it was signed"), explanation, facts, aigc=aigc)


def _facts(reading, site):
    created = next((a for a in reading.actions if a["action"] == "c2pa.created"), None) or \
        (reading.actions[0] if reading.actions else None)
    film = reading.film or {}
    facts = [(_("Signed by"), _signer_text(reading.signer))]
    if reading.claim_generator:
        facts.append((_("Made with"), ", ".join(name for name in reading.claim_generator if name)))
    facts.append((_("Made by AI"), _("Yes: made by a trained AI model") if reading.ai_generated else _("Not stated")))
    model = film.get("model") or (created or {}).get("agent")
    if model:
        facts.append((_("Model"), model))
    if film.get("backend"):
        facts.append((_("Renderer"), renderer_name(film["backend"])))
    when = _when((created or {}).get("when") or film.get("created") or reading.signer.get("time"))
    if when:
        facts.append((_("Made on (as signed)"), when))
    if reading.film is not None:
        name = film.get("site") or site
        title = film.get("title") or reading.title
        facts.append((_("Film"), _("“%(title)s”, film %(id)s on %(site)s") % {"title": title, "id": film.get("film_id"), "site": name}))
    elif reading.title:
        facts.append((_("Title"), reading.title))
    for ingredient in reading.ingredients:
        parent = ingredient.get("film") or {}
        facts.append((_("Remixed from") if film.get("remix_of") else _("Made from"),
                      _("“%(title)s”, film %(id)s") % {"title": ingredient["title"], "id": parent["film_id"]}
                      if parent.get("film_id") is not None else f"“{ingredient['title']}”"))
    if film.get("remix_of") and not reading.ingredients:
        facts.append((_("Remixed from"), _("film %(id)s") % {"id": film["remix_of"]}))
    return facts


def _signer_text(signer):
    name, issuer = signer.get("common_name", ""), signer.get("issuer", "")
    if name and issuer and issuer != name:
        return _("%(name)s (certificate from %(issuer)s)") % {"name": name, "issuer": issuer}
    return name or issuer or _("an unknown signer")


def _when(value):
    try:
        when = dt.datetime.fromisoformat(str(value))
    except ValueError:
        return None
    return when if when.tzinfo else when.replace(tzinfo=dt.timezone.utc)


def aigc_rows(aigc):
    """The AIGC label's fields in the standard's order, each with what it means."""
    meanings = {
        "Label": _("1: made by AI; 2: may be; 3: suspected"),
        "ContentProducer": _("who generated it"),
        "ProduceID": _("the producer's number for it"),
        "ReservedCode1": _("reserved (in films made here: the id of its C2PA manifest)"),
        "ContentPropagator": _("who published it"),
        "PropagateID": _("the publisher's number for it"),
        "ReservedCode2": _("reserved"),
    }
    return [(name, aigc.get(name, ""), meanings[name]) for name in AIGC_FIELDS] if aigc else []
