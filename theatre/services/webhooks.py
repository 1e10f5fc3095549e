"""Completion webhooks: a film's owner may give a URL that is called once when a render of the
film finishes or fails, with the film's JSON (theatre.services.film_json) as the body.

Each call is signed: `X-Theatre-Signature: sha256=<hex>` is the HMAC-SHA256 of the raw body under
the film's webhook secret (README "JSON API" shows how to check it). Delivery is an RQ job on the
`default` queue, retried with backoff (WEBHOOK_RETRY_DELAYS) while the receiver fails or cannot be
reached. A webhook never goes to a loopback, private, link-local or otherwise non-public address
unless the operator sets WEBHOOK_ALLOW_PRIVATE: the host is resolved and every address checked
when the URL is set and again at each delivery, the connection goes to the address that was
checked (so a DNS answer cannot change in between), and a redirect is followed only to a URL
that passes the same check."""
import hashlib
import hmac
import http.client
import ipaddress
import json
import logging
import secrets
import socket
import uuid
from urllib.parse import urljoin, urlsplit

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

log = logging.getLogger(__name__)

SIGNATURE_HEADER = "X-Theatre-Signature"
EVENT_HEADER = "X-Theatre-Event"
DELIVERY_HEADER = "X-Theatre-Delivery"
MAX_REDIRECTS = 3
QUEUE = "default"


class WebhookRefused(Exception):
    """A URL a webhook may not call; the message is for the person who gave it."""


class WebhookFailed(Exception):
    """The receiver could not be reached or did not answer 2xx: RQ retries the delivery."""


# --- which URLs ----------------------------------------------------------------------------------

def is_public_address(address):
    """Whether an IP address is on the public internet (not loopback, private, link-local,
    shared, reserved or multicast). An IPv4 address written as IPv6 counts as the IPv4 one."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if ip.version == 6 and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def checked_target(url):
    """(host, port, address to connect to) for a webhook URL, or WebhookRefused saying why not."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise WebhookRefused(_("That is not a valid URL.")) from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise WebhookRefused(_("A webhook URL starts with http:// or https:// and names a host."))
    port = port or (443 if parts.scheme == "https" else 80)
    try:
        infos = socket.getaddrinfo(parts.hostname, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError, ValueError):
        raise WebhookRefused(_("The webhook's host %(host)s cannot be found.") % {"host": parts.hostname}) from None
    addresses = list(dict.fromkeys(info[4][0] for info in infos))
    if not addresses:
        raise WebhookRefused(_("The webhook's host %(host)s cannot be found.") % {"host": parts.hostname})
    if not settings.WEBHOOK_ALLOW_PRIVATE and not all(is_public_address(a) for a in addresses):
        raise WebhookRefused(_("A webhook must go to a public address; %(host)s is on a private or local network.")
                             % {"host": parts.hostname})
    return parts.hostname, port, addresses[0]


def set_webhook(film, user, url, verified=False):
    """Sets (or, with an empty url, clears) the film's completion webhook. A new URL gets a new
    secret, so a receiver that knew the old one cannot sign for the new. `verified`: the caller
    has just passed the URL through checked_target (outside its transaction)."""
    if film.owner_id != user.pk:
        raise WebhookRefused(_("Only the film's owner can set its webhook."))
    url = (url or "").strip()
    if url:
        if len(url) > type(film)._meta.get_field("webhook_url").max_length:
            raise WebhookRefused(_("That URL is too long."))
        if not verified:
            checked_target(url)
    if url != film.webhook_url or (url and not film.webhook_secret):
        film.webhook_url = url
        film.webhook_secret = secrets.token_urlsafe(32) if url else ""
        film.save(update_fields=["webhook_url", "webhook_secret"])
    return film


def signature(secret, body):
    """The X-Theatre-Signature value of a body (bytes)."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


# --- sending -------------------------------------------------------------------------------------

def film_finished(film):
    """Called by the render job when a render has finished or failed: queues one delivery of the
    film's JSON, sent once the change is committed (so the receiver never sees a state the
    database does not hold)."""
    if not film.webhook_url:
        return None
    from django_rq import get_queue
    from rq import Retry

    from theatre.services.film_json import film_json

    event = "film.done" if film.status == type(film).Status.DONE else "film.failed"
    body = json.dumps(film_json(film, settings.SITE_URL), ensure_ascii=False)
    delivery = uuid.uuid4().hex
    delays = list(settings.WEBHOOK_RETRY_DELAYS)
    retry = Retry(max=len(delays), interval=delays) if delays else None
    transaction.on_commit(lambda: get_queue(QUEUE).enqueue(
        deliver_webhook, film.pk, event, delivery, body, job_id=f"webhook-{delivery}", retry=retry,
        failure_ttl=7 * 86400, job_timeout=max(60, 4 * settings.WEBHOOK_TIMEOUT)))
    return delivery


def deliver_webhook(film_id, event, delivery, body):
    """The RQ job: POSTs the body to the film's webhook URL (read again now: the owner may have
    changed or cleared it). Raises WebhookFailed on a failure worth retrying; a URL that the
    address check refuses is dropped with a log line, since retrying cannot help."""
    from theatre.models import Film

    film = Film.objects.filter(pk=film_id).only("webhook_url", "webhook_secret").first()
    if film is None or not film.webhook_url:
        return "dropped"
    payload = body.encode()
    headers = {
        "Content-Type": "application/json; charset=utf-8", "User-Agent": "AI-Little-Theatre-Webhook/1",
        SIGNATURE_HEADER: signature(film.webhook_secret, payload), EVENT_HEADER: event, DELIVERY_HEADER: delivery,
    }
    url = film.webhook_url
    for _hop in range(MAX_REDIRECTS + 1):
        try:
            target = checked_target(url)
        except WebhookRefused as error:
            log.warning("webhook %s of film %s not sent to %s: %s", delivery, film_id, url, error)
            return "refused"
        try:
            status, location = _post(url, target, payload, headers)
        except (OSError, http.client.HTTPException) as error:
            raise WebhookFailed(f"{url}: {error}") from error
        if 200 <= status < 300:
            return status
        if status in (301, 302, 303, 307, 308) and location:
            url = urljoin(url, location)
            continue
        raise WebhookFailed(f"{url} answered HTTP {status}")
    raise WebhookFailed(f"more than {MAX_REDIRECTS} redirects")


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """Connects to the address that passed the check, whatever DNS says by now."""

    def __init__(self, host, port, *, address, **kwargs):
        super().__init__(host, port, **kwargs)
        self.address = address

    def connect(self):
        self.sock = socket.create_connection((self.address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """The same over TLS: the certificate is still checked against the host's name."""

    def __init__(self, host, port, *, address, **kwargs):
        super().__init__(host, port, **kwargs)
        self.address = address

    def connect(self):
        sock = socket.create_connection((self.address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def _post(url, target, payload, headers):
    parts = urlsplit(url)
    host, port, address = target
    connection_class = _PinnedHTTPSConnection if parts.scheme == "https" else _PinnedHTTPConnection
    connection = connection_class(host, port, address=address, timeout=settings.WEBHOOK_TIMEOUT)
    try:
        connection.request("POST", (parts.path or "/") + (f"?{parts.query}" if parts.query else ""), body=payload,
                           headers=headers)
        response = connection.getresponse()
        response.read(65536)
        return response.status, response.getheader("Location")
    finally:
        connection.close()
