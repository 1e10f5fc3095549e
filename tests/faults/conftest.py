"""The fault tests run their sites on a redis-server of their own (support/throwaway_redis.py)."""
import shutil

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
