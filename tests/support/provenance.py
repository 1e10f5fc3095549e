"""Films as this site's render leaves them (FilmWriter with the stamp's metadata, then signed), and
the copies the provenance and /verify/ tests need: tampered, signed elsewhere, unsigned, junk."""
import datetime as dt
import struct
from pathlib import Path

import numpy as np
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec

from inference.media.film_writer import FilmWriter, provenance
from inference.media.provenance import FilmStamp
from inference.specs import ParentFilm

RATE = 24000


def stamp_for(film_id=42, *, title="Balcony Duet", site="Test Theatre", parent=None, language="en"):
    return FilmStamp(film_id=film_id, title=title, backend="preview", model="preview-animatic-1", seed=7,
                     language=language, site=site, producer=site, parent=parent)


def write_plain_film(path, stamp=None, seconds=1.0, width=320, height=180, fps=24):
    """A small H.264 + AAC film with the provenance comment (and the AIGC field when stamped)."""
    extra = stamp.metadata if stamp else {}
    metadata = provenance(backend="preview", model="preview-animatic-1", seed=7,
                          film_id=stamp.film_id if stamp else None, **extra)
    t = np.arange(int(seconds * RATE)) / RATE
    with FilmWriter(path, width, height, fps, (0.2 * np.sin(2 * np.pi * 330 * t)).astype(np.float32), RATE,
                    metadata, preset="ultrafast") as writer:
        for i in range(round(seconds * fps)):
            frame = np.zeros((height, width, 3), np.uint8)
            frame[:, :, 0] = (np.arange(width) + 7 * i) % 256
            frame[:, :, 1] = 110
            writer.write(frame)
    return Path(path)


def signed_film(path, credentials, film_id=42, *, parent: ParentFilm | None = None, **stamp_options):
    """A film stamped and signed the way the render job does it; returns (path, stamp)."""
    stamp = stamp_for(film_id, parent=parent, **stamp_options)
    write_plain_film(path, stamp)
    stamp.sign(path, credentials)
    return Path(path), stamp


def box_offsets(data: bytes) -> dict:
    """Top-level MP4 boxes: name -> (offset, size)."""
    boxes, offset = {}, 0
    while offset + 8 <= len(data):
        size, kind = struct.unpack(">I4s", data[offset:offset + 8])
        if size == 1:
            size = struct.unpack(">Q", data[offset + 8:offset + 16])[0]
        boxes.setdefault(kind.decode("latin-1"), (offset, size))
        offset += size or len(data)
    return boxes


def tampered(data: bytes) -> bytes:
    """The same file with one byte of its picture and sound data changed."""
    offset, size = box_offsets(data)["mdat"]
    changed = bytearray(data)
    changed[offset + size // 2] ^= 0x5A
    return bytes(changed)


def make_operator_files(folder, *, key_format="pkcs8", password=None, days=365, other_key=False):
    """A CA-issued certificate chain and key, as an operator would bring them."""
    from inference.media.signing import _make_ca, _make_leaf

    folder.mkdir(parents=True, exist_ok=True)
    ca_key, ca = _make_ca("Operator CA")
    leaf_key, leaf = _make_leaf(ca_key, ca, "Operator Films")
    if days < 0:  # an expired leaf: rebuild it with dates in the past
        now = dt.datetime.now(dt.timezone.utc)
        leaf = (x509.CertificateBuilder().subject_name(leaf.subject).issuer_name(ca.subject)
                .public_key(leaf_key.public_key()).serial_number(x509.random_serial_number())
                .not_valid_before(now - dt.timedelta(days=30)).not_valid_after(now + dt.timedelta(days=days))
                .sign(ca_key, hashes.SHA256()))
    pem = serialization.Encoding.PEM
    (folder / "chain.pem").write_bytes(leaf.public_bytes(pem) + ca.public_bytes(pem))
    key = ec.generate_private_key(ec.SECP256R1()) if other_key else leaf_key
    formats = {"pkcs8": serialization.PrivateFormat.PKCS8, "sec1": serialization.PrivateFormat.TraditionalOpenSSL}
    encryption = serialization.BestAvailableEncryption(password.encode()) if password else serialization.NoEncryption()
    (folder / "key.pem").write_bytes(key.private_bytes(pem, formats[key_format], encryption))
    return folder / "chain.pem", folder / "key.pem"
