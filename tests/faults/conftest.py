"""The fault tests run their sites on a redis-server of their own (support/throwaway_redis.py),
and the races run once on the site's own SQLite file and once on a throwaway Postgres database."""
import shutil
import uuid
from urllib.parse import urlsplit, urlunsplit

import pytest

from tests.support.throwaway_redis import REDIS_SERVER, ThrowawayRedis


@pytest.fixture
def throwaway_redis(tmp_path):
    if not shutil.which(REDIS_SERVER):
        pytest.skip("Debian's redis-server is not installed")
    server = ThrowawayRedis(tmp_path / "redis")
    server.start()
    yield server
    server.stop()


def postgres_database():
    """A Postgres URL to make a throwaway database next to, or None: the suite's own DATABASE_URL
    when it is on Postgres, else the launcher's TEST_POSTGRES_URL."""
    import os

    from theatre.config.launcher import TEST_POSTGRES_URL, postgres_unreachable

    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        url = os.environ.get("TEST_POSTGRES_URL", TEST_POSTGRES_URL)
    return None if postgres_unreachable(url) else url


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(request):
    """None for the live site's own SQLite file; or a fresh Postgres database, dropped afterwards."""
    if request.param == "sqlite":
        yield None
        return
    server = postgres_database()
    if server is None:
        pytest.skip("no Postgres answers (TEST_POSTGRES_URL)")
    import psycopg

    parts = urlsplit(server)
    name = f"theatre_race_{uuid.uuid4().hex[:10]}"
    maintenance = urlunsplit(("postgresql", parts.netloc, "/postgres", "", ""))
    with psycopg.connect(maintenance, autocommit=True) as db:
        db.execute(f'CREATE DATABASE "{name}"')
    yield urlunsplit(("postgres", parts.netloc, f"/{name}", parts.query, ""))
    with psycopg.connect(maintenance, autocommit=True) as db:
        db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
