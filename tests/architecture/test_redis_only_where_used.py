"""Tests of plain code need no Redis: with REDIS_URL pointing at a port nothing listens on, the
script parser's, voice and preview-backend tests still pass (a developer can run them anywhere)."""
import os
import subprocess
import sys

import pytest

from tests.support.live_site import BASE_DIR, free_port

PLAIN = ["tests/theatre/script/test_parser.py", "tests/inference/voice/test_profile.py",
         "tests/architecture/test_layers.py"]


@pytest.mark.slow
def test_plain_code_tests_pass_without_a_redis():
    env = {**os.environ, "REDIS_URL": f"redis://127.0.0.1:{free_port()}/0"}
    result = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:randomly", *PLAIN], cwd=BASE_DIR, env=env,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert " passed" in result.stdout and "error" not in result.stdout.lower().split("passed")[-1]
