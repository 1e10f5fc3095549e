"""A redis-server of the test's own, as a child process on a free port, keeping nothing on disk.

The fault tests run their sites on one of these rather than on a numbered database of the shared
Redis: other test runs on this machine use (and flush) those databases, and a restart test must
be able to stop its Redis anyway."""
import subprocess


from theatre.config.launcher import port_open

from tests.support.live_site import free_port
from tests.support.site_films import wait_for

REDIS_SERVER = "/usr/bin/redis-server"


class ThrowawayRedis:
    """A redis-server child process on a free port that keeps nothing, so a restart empties it."""

    def __init__(self, folder):
        self.folder, self.port, self.process = folder, free_port(), None
        self.url = f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        self.folder.mkdir(parents=True, exist_ok=True)
        self.process = subprocess.Popen([REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
                                         "--appendonly", "no", "--dir", str(self.folder)],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_for(lambda: port_open(self.port), timeout=10, what="redis-server to listen")

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
