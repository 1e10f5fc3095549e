"""The site's signing identity for Content Credentials: a certificate chain (leaf first) and its key.

An operator sets SIGNING_CERT and SIGNING_KEY (PEM files; SIGNING_KEY_PASSWORD when the key is
encrypted). Without them the site makes its own once, in THEATRE_VAR_DIR/signing/: a local CA and an
ES256 leaf signed by it. c2pa accepts that pair and this site trusts it, but no outside checker
knows the CA, so the admin calls it self-signed. The render workers sign with it and the web
processes recognise their own films by it, so on several machines every process needs the same files.

Plain bytes only: c2pa's Signer does not survive a fork, so it is made from these for each film.
"""
import datetime as dt
import os
import shutil
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

CHAIN, KEY, CA, CA_KEY = "chain.pem", "signer.key", "ca.pem", "ca.key"
# No timestamp authority is reachable offline, so a film's signature is only as good as its
# certificate's validity: once the leaf expires, c2pa reads every film it signed as invalid.
LEAF_DAYS, CA_DAYS = 20 * 365, 30 * 365


class SigningError(Exception):
    """The configured certificate or key cannot sign; the message says what to fix."""


@dataclass(frozen=True)
class Credentials:
    chain_pem: bytes  # the leaf, then the CAs up to (not necessarily including) a root
    key_pem: bytes  # unencrypted PKCS#8: the only form c2pa-rs loads
    alg: str  # c2pa's name for the signature algorithm: es256, es384, es512, ps256, ed25519
    self_signed: bool  # made by this site rather than issued by a CA others trust
    source: str  # where it came from, for the admin

    @property
    def certificates(self) -> list[x509.Certificate]:
        return x509.load_pem_x509_certificates(self.chain_pem)

    @property
    def leaf(self) -> x509.Certificate:
        return self.certificates[0]

    @property
    def anchors_pem(self) -> str:
        """The chain's CA certificates: what a reader here trusts, so our own films read Trusted."""
        return "".join(c.public_bytes(serialization.Encoding.PEM).decode() for c in self.certificates[1:])

    @property
    def subject(self) -> str:
        names = self.leaf.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
        return names[0].value if names else self.leaf.subject.rfc4514_string()

    @property
    def fingerprint(self) -> str:
        return self.leaf.fingerprint(hashes.SHA256()).hex(":")

    @property
    def expires(self) -> dt.datetime:
        return self.leaf.not_valid_after_utc


def leaf_serial(certificate: x509.Certificate) -> str:
    """A certificate's serial number as c2pa's reader reports it (decimal)."""
    return str(certificate.serial_number)


def load_credentials(cert_path, key_path, password: str = "", *, self_signed=False) -> Credentials:
    """Reads a PEM chain and a PEM key (PKCS#8 or SEC1/PKCS#1, encrypted or not), checks that they
    belong together and that the leaf is valid today, and re-serialises the key as c2pa wants it."""
    try:
        chain = Path(cert_path).read_bytes()
        key_bytes = Path(key_path).read_bytes()
    except OSError as error:
        raise SigningError(f"cannot read the signing certificate or key: {error}") from error
    try:
        certificates = x509.load_pem_x509_certificates(chain)
    except ValueError as error:
        raise SigningError(f"{cert_path} is not a PEM certificate chain: {error}") from error
    try:
        key = serialization.load_pem_private_key(key_bytes, password=password.encode() or None)
    except (ValueError, TypeError) as error:
        raise SigningError(f"{key_path} is not a usable PEM private key (wrong or missing "
                           f"SIGNING_KEY_PASSWORD?): {error}") from error
    leaf = certificates[0]
    public = serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    if key.public_key().public_bytes(*public) != leaf.public_key().public_bytes(*public):
        # c2pa would sign without complaint, and every film would then read as forged.
        raise SigningError(f"the key in {key_path} does not belong to the first certificate of {cert_path} "
                           "(the chain must start with the signing certificate)")
    now = dt.datetime.now(dt.timezone.utc)
    if not leaf.not_valid_before_utc <= now <= leaf.not_valid_after_utc:
        raise SigningError(f"the signing certificate in {cert_path} is not valid today "
                           f"({leaf.not_valid_before_utc:%Y-%m-%d} to {leaf.not_valid_after_utc:%Y-%m-%d})")
    pkcs8 = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                              serialization.NoEncryption())
    return Credentials(chain_pem=chain, key_pem=pkcs8, alg=_algorithm(key), self_signed=self_signed,
                       source=str(cert_path))


def _algorithm(key) -> str:
    if isinstance(key, ec.EllipticCurvePrivateKey):
        names = {"secp256r1": "es256", "secp384r1": "es384", "secp521r1": "es512"}
        if key.curve.name not in names:
            raise SigningError(f"c2pa cannot sign with an EC key on {key.curve.name}; use P-256")
        return names[key.curve.name]
    if isinstance(key, rsa.RSAPrivateKey):
        return "ps256"
    if isinstance(key, ed25519.Ed25519PrivateKey):
        return "ed25519"
    raise SigningError(f"c2pa cannot sign with a {type(key).__name__}; use an EC P-256 key")


def self_made_credentials(folder, name: str) -> Credentials:
    """This site's own CA and leaf in `folder`, made on first use and kept (0600 keys). Several
    processes starting at once agree on one pair: each makes its pair in a folder of its own and
    renames it into place; the first rename wins and the others read the winner's files."""
    folder = Path(folder)
    if not (folder / CHAIN).exists():
        folder.parent.mkdir(parents=True, exist_ok=True)
        draft = Path(tempfile.mkdtemp(prefix=".signing-", dir=folder.parent))
        try:
            _write_pair(draft, name)
            os.rename(draft, folder)  # atomic; fails when another process got there first
        except OSError:
            if not (folder / CHAIN).exists():
                raise
        finally:
            shutil.rmtree(draft, ignore_errors=True)
    if not (folder / KEY).exists():
        raise SigningError(f"{folder} has a certificate but no {KEY}: restore it or remove the folder")
    return load_credentials(folder / CHAIN, folder / KEY, self_signed=True)


def _write_pair(folder: Path, name: str):
    os.chmod(folder, 0o700)
    ca_key, ca = _make_ca(name)
    leaf_key, leaf = _make_leaf(ca_key, ca, name)
    _write_private(folder / CA_KEY, ca_key)  # only needed to issue a new leaf
    _write_private(folder / KEY, leaf_key)
    (folder / CA).write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    (folder / CHAIN).write_bytes(leaf.public_bytes(serialization.Encoding.PEM) + ca.public_bytes(serialization.Encoding.PEM))


def _name(common_name: str, organisation: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name[:64]),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation[:64])])


def _key_usage(*, sign=False, certs=False):
    return x509.KeyUsage(digital_signature=sign, content_commitment=False, key_encipherment=False,
                         data_encipherment=False, key_agreement=False, key_cert_sign=certs, crl_sign=certs,
                         encipher_only=False, decipher_only=False)


def _make_ca(name: str):
    key = ec.generate_private_key(ec.SECP256R1())
    subject = _name(f"{name} self-signed root", name)
    now = dt.datetime.now(dt.timezone.utc)
    certificate = (
        x509.CertificateBuilder().subject_name(subject).issuer_name(subject).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5)).not_valid_after(now + dt.timedelta(days=CA_DAYS))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_key_usage(certs=True), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    return key, certificate


def _make_leaf(ca_key, ca, name: str):
    """c2pa-rs checks the signer's certificate profile when signing and when reading: not
    self-signed, digitalSignature only, an extended key usage on its list (emailProtection; the
    documentSigning and C2PA OIDs read as invalid without extra reader settings), and an authority
    key identifier (refused without one)."""
    key = ec.generate_private_key(ec.SECP256R1())
    now = dt.datetime.now(dt.timezone.utc)
    certificate = (
        x509.CertificateBuilder().subject_name(_name(name, name)).issuer_name(ca.subject)
        .public_key(key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5)).not_valid_after(now + dt.timedelta(days=LEAF_DAYS))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_key_usage(sign=True), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    return key, certificate


def _write_private(path: Path, key):
    data = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(data)


# --- the site's configuration --------------------------------------------------------------------

def site_credentials() -> Credentials:
    """The credentials the settings name: the operator's files, else the site's own pair."""
    from django.conf import settings

    return _cached(settings.SIGNING_CERT, settings.SIGNING_KEY, settings.SIGNING_KEY_PASSWORD,
                   str(settings.SIGNING_DIR), settings.SITE_NAME)


@lru_cache(maxsize=4)
def _cached(cert, key, password, folder, name) -> Credentials:
    if cert or key:
        if not (cert and key):
            raise SigningError("set both SIGNING_CERT and SIGNING_KEY, or neither (the site then makes its own)")
        return load_credentials(cert, key, password)
    return self_made_credentials(folder, name)


def forget_site_credentials():
    """For tests and for an operator's shell after changing the files."""
    _cached.cache_clear()


def known_signers() -> set[str]:
    """Serial numbers of the leaf certificates this site signs or has signed with: the configured
    one, and the site's own pair when it exists (films signed before an operator set theirs)."""
    from django.conf import settings

    serials = {leaf_serial(site_credentials().leaf)}
    own = Path(settings.SIGNING_DIR) / CHAIN
    if own.exists():
        serials.add(leaf_serial(x509.load_pem_x509_certificates(own.read_bytes())[0]))
    return serials


def trust_anchors() -> str:
    """PEM CA certificates a reader here trusts: ours, the site's own CA when it exists, and any the
    operator lists in C2PA_TRUST_ANCHORS (e.g. the C2PA trust list)."""
    from django.conf import settings

    anchors = [site_credentials().anchors_pem]
    own = Path(settings.SIGNING_DIR) / CA
    if own.exists():
        anchors.append(own.read_text())
    if settings.C2PA_TRUST_ANCHORS:
        anchors.append(Path(settings.C2PA_TRUST_ANCHORS).read_text())
    unique = dict.fromkeys(a.strip() + "\n" for a in anchors if a.strip())
    return "".join(unique)


def describe(credentials: Credentials) -> dict:
    """What the admin shows about the signing certificate."""
    return {"subject": credentials.subject, "self_signed": credentials.self_signed, "source": credentials.source,
            "expires": credentials.expires, "fingerprint": credentials.fingerprint}
