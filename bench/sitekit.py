"""What the site benchmarks share: a whole site in child processes (tests/support/live_site.py's LiveSite:
Daphne, RQ workers, a SQLite file of its own) and this process's ORM pointed at the same database,
so a benchmark can create users, films and logged-in sessions directly."""
import os
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))


def ensure_redis():
    """Uses REDIS_URL when set; otherwise starts a Redis of its own, as `./run tests` does."""
    from theatre.config.launcher import ensure_redis as start

    return start(6393, BASE_DIR / "var" / "bench-redis")


# As deployed (README, "Running on several machines"), but over plain HTTP on loopback: DEBUG off
# means cached templates, hashed static files and no SQL log, which is what a load figure is about.
PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "bench-only-" + os.urandom(24).hex(),
    "SECURE_SSL_REDIRECT": "false",
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
}


def open_site(var_dir, *, workers, redis_db=8, extra_env=None, production=False):
    """Starts the site and sets up Django here against its database and Redis."""
    from tests.support.live_site import LiveSite

    site = LiveSite(var_dir, redis_db=redis_db, workers=workers, extra_env={**(PRODUCTION if production else {}), **(extra_env or {})})
    os.environ.update(site.env)
    if production:
        site.var_dir.mkdir(parents=True, exist_ok=True)
        site.manage("collectstatic", "--noinput", "-v", "0")
    site.start()
    import django

    django.setup()
    return site


def make_user(handle):
    from tests.conftest import make_user as make

    return make(handle)


def logged_in_session(user):
    from tests.support.live_site import logged_in_session as make

    return make(user)
