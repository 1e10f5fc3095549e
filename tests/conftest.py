"""Shared fixtures: Alice, Bob and Carol, a Chromium page, and a clean Redis per test that uses it."""
import os
from pathlib import Path

import pytest

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-quic", "--no-first-run",
]
# Playwright's sync API keeps an event loop in the test thread; the ORM calls the tests make
# between page actions are still synchronous, so Django's guard against async misuse is lifted.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def make_user(handle, display_name=None, password="a-Long-pass-4-tests"):
    from django.contrib.auth import get_user_model

    from accounts.models import Profile

    user = get_user_model().objects.create_user(username=handle, password=password)
    Profile.objects.create(user=user, handle=handle, display_name=display_name or handle.title())
    return user


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


@pytest.fixture(scope="session")
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
def fresh_rate_limits():
    """Rate-limit counters, anonymous view marks, cached pages and remembered share links live in the
    Redis cache, outside each test's rolled-back transaction (and ids come round again): every
    test starts with none."""
    from django.core.cache import cache

    from theatre.services.limits import reset_rate_limits

    reset_rate_limits()
    cache.delete_pattern("viewed:*")
    cache.delete_pattern("page:*")
    cache.delete_pattern("link-state:*")


@pytest.fixture(autouse=True)
def default_language():
    """Each test starts in the site's default language: a request in Chinese leaves its language
    active in the thread (LocaleMiddleware does not undo it), which would leak into the next test."""
    from django.utils import translation

    translation.activate("en")
    yield
    translation.deactivate()
