"""Shared fixtures: Alice, Bob and Carol, a Chromium page, and a clean Redis per test that uses it."""
import os

import pytest

from tests.support.browser import CHROMIUM_ARGS
from tests.support.paths import ARTIFACTS
from tests.support.users import make_user

# Fixtures behind every test that can reach the site's cache or queues.
USES_REDIS = {"db", "transactional_db", "django_db_setup", "client", "redis_conn", "live_server"}
# Playwright's sync API keeps an event loop in the test thread; the ORM calls the tests make
# between page actions are still synchronous, so Django's guard against async misuse is lifted.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def alice(db):
    return make_user("alice", "Alice")


@pytest.fixture
def bob(db):
    return make_user("bob", "Bob")


@pytest.fixture
def carol(db):
    return make_user("carol", "Carol")


@pytest.fixture
def befriend():
    from accounts import friends

    def _befriend(a, b):
        request = friends.send_request(a, b)
        return friends.accept_request(b, request.pk)

    return _befriend


@pytest.fixture
def redis_conn():
    """The real Redis the test command started, emptied before each test that asks for it."""
    import django_rq

    connection = django_rq.get_connection("default")
    connection.flushdb()
    yield connection
    connection.flushdb()


# Per module, not per session: while Playwright runs, its event loop stays set in the main thread,
# where async_to_sync then refuses to run; the tests after a browser module need it gone.
@pytest.fixture(scope="module")
def chromium():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def phone_page(chromium):
    context = chromium.new_context(viewport={"width": 360, "height": 740}, device_scale_factor=1, is_mobile=True, has_touch=True)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def artifacts():
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture
def private_media(settings, tmp_path):
    """Each test writes its files to its own folder, as private storage (no URL)."""
    tmp_path = tmp_path / "media"
    tmp_path.mkdir()
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path), "base_url": "/nowhere/"}},
    }
    settings.MEDIA_ROOT = tmp_path
    settings.MEDIA_SENDFILE = ""
    # Users are made by the handful here; the real hasher would spend most of the test time.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return tmp_path


@pytest.fixture
def run_queue(redis_conn):
    """Runs every job waiting in the named queues on a burst worker in this process (SimpleWorker:
    no fork, so the jobs see the test's database)."""
    import django_rq
    from rq.worker import SimpleWorker

    def _run(*names):
        worker = django_rq.get_worker(*names, worker_class=SimpleWorker)
        worker.work(burst=True)
        return worker

    return _run


@pytest.fixture(autouse=True)
def fresh_rate_limits(request):
    """Rate-limit counters, anonymous view marks, cached pages and remembered share links live in the
    Redis cache, outside each test's rolled-back transaction (and ids come round again): every
    test that touches the database or Redis starts with none. A test of plain code (the script
    parser, the voice DSP, a backend) uses neither, and runs without a Redis at all."""
    if not USES_REDIS.intersection(request.fixturenames):
        yield
        return
    from django.core.cache import cache

    from theatre.services.limits import reset_rate_limits

    reset_rate_limits()
    cache.delete_pattern("viewed:*")
    cache.delete_pattern("page:*")
    cache.delete_pattern("link-state:*")
    yield


@pytest.fixture(autouse=True)
def default_language():
    """Each test starts in the site's default language: a request in Chinese leaves its language
    active in the thread (LocaleMiddleware does not undo it), which would leak into the next test."""
    from django.utils import translation

    translation.activate("en")
    yield
    translation.deactivate()


@pytest.fixture
def world(private_media, alice, bob, carol, befriend):
    """Alice's finished film starring her avatar Ally and Dave's avatar Dee, shared by one link.

    bob: Alice's friend. carol: Alice's friend, approved to cast Ally. dave: not a friend, but his
    avatar is in the film. erin: a stranger.
    """
    from types import SimpleNamespace

    from tests.support.filmmaking import approve, make_avatar, make_film
    from theatre.models import Avatar, ShareLink

    dave, erin = make_user("dave", "Dave"), make_user("erin", "Erin")
    befriend(alice, bob)
    befriend(alice, carol)
    ally = make_avatar(alice, "Ally", policy=Avatar.Policy.APPROVED)
    secret = make_avatar(alice, "Secret", policy=Avatar.Policy.ONLY_ME)
    dee = make_avatar(dave, "Dee", policy=Avatar.Policy.EVERYONE)
    stock = make_avatar(None, "Robo", stock_key="robo")
    approve(ally, carol)
    film = make_film(alice, cast=[ally, dee])
    link = ShareLink.objects.create(film=film)
    return SimpleNamespace(
        alice=alice, bob=bob, carol=carol, dave=dave, erin=erin,
        ally=ally, secret=secret, dee=dee, stock=stock, film=film, link=link,
    )


@pytest.fixture
def site_signing(settings, tmp_path):
    """This site ("Test Theatre")'s own signing certificate, made in the test's folder."""
    from inference.media.signing import forget_site_credentials, site_credentials

    settings.SITE_NAME = settings.AIGC_PRODUCER = "Test Theatre"
    settings.SIGNING_DIR = tmp_path / "signing"
    settings.SIGNING_CERT = settings.SIGNING_KEY = settings.SIGNING_KEY_PASSWORD = ""
    settings.C2PA_TRUST_ANCHORS = ""
    forget_site_credentials()
    yield site_credentials()
    forget_site_credentials()
