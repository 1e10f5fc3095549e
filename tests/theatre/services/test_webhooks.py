"""Completion webhooks: a receiver on this machine (allowed by the operator setting, as a test
must) gets the film's JSON once, signed; a failing receiver is retried; private and loopback
targets are refused by default, also behind a redirect."""
import hashlib
import hmac
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from inference.jobs import fail_film
from theatre.models import Film
from theatre.services import casting, webhooks
from theatre.stock.loading import load_stock

from tests.support.filmmaking import make_film, make_story_script


class Receiver:
    """An HTTP server on 127.0.0.1 that records each POST and answers `answers` in turn (then 200)."""

    def __init__(self, answers=()):
        self.requests, self.answers = [], list(answers)
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.requests.append((self.path, dict(self.headers), body))
                status, headers = receiver.answers.pop(0) if receiver.answers else (200, {})
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hooks/theatre?via=test"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    made = []

    def make(answers=()):
        made.append(Receiver(answers))
        return made[-1]

    yield make
    for one in made:
        one.close()


@pytest.fixture
def local_hooks(settings):
    settings.WEBHOOK_ALLOW_PRIVATE = True  # the operator's switch: the receiver is on this machine
    settings.WEBHOOK_RETRY_DELAYS = [0, 0, 0]  # retried at once, so a burst worker sees every try
    settings.WEBHOOK_TIMEOUT = 5


def verify(secret, headers, body):
    """What a receiver does (README "JSON API"): HMAC-SHA256 of the raw body, compared in constant time."""
    expected = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, headers["X-Theatre-Signature"])


def test_a_finished_render_calls_the_webhook_once_signed(alice, private_media, redis_conn, run_queue, receiver, local_hooks,
                                                          django_capture_on_commit_callbacks):
    load_stock()
    hook = receiver()
    film = casting.start_film(alice, make_story_script(template=True))
    from tests.support.filmmaking import make_avatar

    casting.cast_roles(film, alice, {"hero": make_avatar(alice, "H").pk, "sidekick": make_avatar(alice, "S").pk})
    webhooks.set_webhook(film, alice, hook.url)
    with django_capture_on_commit_callbacks(execute=True):
        casting.request_render(film, alice)
    with django_capture_on_commit_callbacks(execute=True):
        run_queue("gpu")
    assert hook.requests == []  # nothing before the delivery job runs
    run_queue("default")
    assert len(hook.requests) == 1
    path, headers, body = hook.requests[0]
    film.refresh_from_db()
    assert path == "/hooks/theatre?via=test" and verify(film.webhook_secret, headers, body)
    assert headers["X-Theatre-Event"] == "film.done" and headers["Content-Type"].startswith("application/json")
    sent = json.loads(body)
    assert sent["id"] == film.pk and sent["status"] == "done" and sent["progress"] == 100
    assert "webhook_secret" not in sent and sent["webhook_url"] == hook.url
    assert not verify("another secret", headers, body)
    run_queue("default")
    assert len(hook.requests) == 1  # once


def test_a_failing_receiver_is_retried_until_it_answers(alice, private_media, redis_conn, run_queue, receiver, local_hooks,
                                                        django_capture_on_commit_callbacks):
    hook = receiver(answers=[(500, {}), (503, {})])
    film = make_film(alice, status=Film.Status.RENDERING, with_files=False)
    webhooks.set_webhook(film, alice, hook.url)
    with django_capture_on_commit_callbacks(execute=True):
        fail_film(film, "The worker's disk is full.")
    run_queue("default")
    assert len(hook.requests) == 3
    deliveries = {headers["X-Theatre-Delivery"] for _p, headers, _b in hook.requests}
    assert len(deliveries) == 1  # the same delivery, tried three times, so a receiver can drop repeats
    body = json.loads(hook.requests[-1][2])
    assert body["status"] == "failed" and body["failure_reason"] == "The worker's disk is full."
    assert hook.requests[-1][1]["X-Theatre-Event"] == "film.failed"


def test_a_receiver_that_never_answers_gives_up_after_the_retries(alice, private_media, redis_conn, run_queue, receiver,
                                                                  local_hooks, django_capture_on_commit_callbacks):
    import django_rq

    hook = receiver(answers=[(500, {})] * 10)
    film = make_film(alice, status=Film.Status.RENDERING, with_files=False)
    webhooks.set_webhook(film, alice, hook.url)
    with django_capture_on_commit_callbacks(execute=True):
        fail_film(film, "gone")
    run_queue("default")
    assert len(hook.requests) == 4  # the first try and three retries
    assert django_rq.get_queue("default").failed_job_registry.count == 1


@pytest.mark.parametrize("url", [
    "http://127.0.0.1:8000/", "http://localhost/", "http://10.1.2.3/", "http://192.168.0.10/", "http://172.16.5.4/",
    "http://169.254.169.254/latest/meta-data/", "http://[::1]/", "http://[::ffff:127.0.0.1]/", "http://0.0.0.0/",
    "http://100.64.0.1/", "http://[fd00::1]/",
])
def test_private_and_loopback_targets_are_refused_by_default(url, settings):
    settings.WEBHOOK_ALLOW_PRIVATE = False
    with pytest.raises(webhooks.WebhookRefused, match="public address"):
        webhooks.checked_target(url)


def test_public_addresses_pass_the_check():
    assert webhooks.is_public_address("93.184.216.34") and webhooks.is_public_address("2606:4700::1111")
    assert not webhooks.is_public_address("::ffff:10.0.0.1") and not webhooks.is_public_address("224.0.0.1")


def test_a_delivery_to_a_private_target_is_dropped_not_sent(alice, private_media, redis_conn, run_queue, receiver, settings,
                                                             django_capture_on_commit_callbacks):
    """A URL set while the operator allowed private targets, then delivered after they stopped
    allowing them (the check runs again at delivery): nothing is sent, and it is not retried."""
    hook = receiver()
    settings.WEBHOOK_ALLOW_PRIVATE, settings.WEBHOOK_RETRY_DELAYS = True, [0]
    film = make_film(alice, status=Film.Status.RENDERING, with_files=False)
    webhooks.set_webhook(film, alice, hook.url)
    settings.WEBHOOK_ALLOW_PRIVATE = False
    with django_capture_on_commit_callbacks(execute=True):
        fail_film(film, "gone")
    run_queue("default")
    assert hook.requests == []


def test_a_redirect_to_a_private_address_is_not_followed(alice, private_media, redis_conn, run_queue, receiver, settings,
                                                          monkeypatch, django_capture_on_commit_callbacks):
    """127.0.0.1 stands in for a public receiver (no machine here can reach one); it redirects to
    127.0.0.2, which stays private: the redirect is refused and nothing reaches the second host."""
    settings.WEBHOOK_ALLOW_PRIVATE, settings.WEBHOOK_RETRY_DELAYS = False, [0]
    monkeypatch.setattr(webhooks, "is_public_address", lambda address: address == "127.0.0.1")
    inside = receiver()
    hook = receiver(answers=[(307, {"Location": inside.url.replace("127.0.0.1", "127.0.0.2")})])
    film = make_film(alice, status=Film.Status.RENDERING, with_files=False)
    webhooks.set_webhook(film, alice, hook.url)
    with django_capture_on_commit_callbacks(execute=True):
        fail_film(film, "gone")
    run_queue("default")
    assert len(hook.requests) == 1 and inside.requests == []


def test_a_new_url_gets_a_new_secret_and_only_the_owner_sets_it(alice, bob, private_media, local_hooks):
    film = make_film(alice, with_files=False)
    webhooks.set_webhook(film, alice, "http://127.0.0.1:9/a")
    first = film.webhook_secret
    webhooks.set_webhook(film, alice, "http://127.0.0.1:9/b")
    assert film.webhook_secret != first and len(film.webhook_secret) >= 32
    with pytest.raises(webhooks.WebhookRefused):
        webhooks.set_webhook(film, bob, "http://127.0.0.1:9/c")
    assert Film.objects.get(pk=film.pk).webhook_url == "http://127.0.0.1:9/b"
