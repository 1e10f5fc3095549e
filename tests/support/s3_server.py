"""A real S3-protocol server for tests: s3rver from npm (tools/s3), installed into the project on
first use and started on loopback with one private bucket. Skips with the reason when Node or the
package cannot be had."""
import shutil
import socket
import subprocess
import time

import pytest

from tests.support.live_site import BASE_DIR, free_port

TOOLS = BASE_DIR / "tools" / "s3"
# s3rver's own account: it accepts requests signed with this key and no other.
ACCESS_KEY = SECRET_KEY = "S3RVER"
BUCKET = "theatre-test"


def ensure_s3rver():
    if not shutil.which("node") or not shutil.which("npm"):
        pytest.skip("Node.js and npm are needed to run s3rver, the S3 test server")
    if not (TOOLS / "node_modules" / "s3rver").is_dir():
        result = subprocess.run(["npm", "install", "--prefix", str(TOOLS), "--no-audit", "--no-fund"],
                                capture_output=True, text=True, timeout=300)
        if result.returncode != 0:
            pytest.skip(f"could not install s3rver from npm: {result.stderr.strip()[-300:]}")


class S3Server:
    def __init__(self, directory):
        ensure_s3rver()
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        directory.mkdir(parents=True, exist_ok=True)
        self.process = subprocess.Popen(["node", str(TOOLS / "server.js"), str(self.port), str(directory), BUCKET],
                                        stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        deadline = time.time() + 20
        while time.time() < deadline:
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", self.port)) == 0:
                    return
            if self.process.poll() is not None:
                raise RuntimeError(f"s3rver exited: {self.process.stdout.read().decode(errors='replace')[-1000:]}")
            time.sleep(0.1)
        raise RuntimeError("s3rver did not start")

    def storage_options(self, **extra):
        """django-storages S3Storage options for this server. Signature V2 ("s3"), because s3rver
        verifies V2 signatures and their expiry but takes any V4 signature on trust."""
        return {
            "bucket_name": BUCKET, "endpoint_url": self.url, "access_key": ACCESS_KEY, "secret_key": SECRET_KEY,
            "signature_version": "s3", "addressing_style": "path", "region_name": "us-east-1",
            "querystring_auth": True, "querystring_expire": 600, "default_acl": "private", "file_overwrite": False,
            **extra,
        }

    def env(self):
        """The same, as the environment variables the settings read (for sites in child processes)."""
        return {
            "AWS_STORAGE_BUCKET_NAME": BUCKET, "AWS_S3_ENDPOINT_URL": self.url, "AWS_ACCESS_KEY_ID": ACCESS_KEY,
            "AWS_SECRET_ACCESS_KEY": SECRET_KEY, "AWS_S3_SIGNATURE_VERSION": "s3", "AWS_S3_ADDRESSING_STYLE": "path",
            "AWS_S3_REGION_NAME": "us-east-1",
        }

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
