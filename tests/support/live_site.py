"""A whole site in child processes, as `./run site` starts it: Daphne (HTTP + WebSockets), RQ
workers and a SQLite file of its own, on the Redis the test command started (its own database
number, so queues of other tests do not mix). For tests that need real processes end to end."""
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from tests.support.paths import BASE_DIR



def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def redis_url_with_db(db):
    parts = urlsplit(os.environ["REDIS_URL"])
    return urlunsplit((parts.scheme, parts.netloc, f"/{db}", "", ""))


class LiveSite:
    def __init__(self, var_dir, redis_db=5, workers=(("gpu", "cpu", "default"),), extra_env=None):
        self.var_dir = Path(var_dir)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {
            **os.environ,
            "THEATRE_VAR_DIR": str(self.var_dir),
            "REDIS_URL": redis_url_with_db(redis_db),
            "CHANNELS_PREFIX": f"live{self.port}",
            "CACHE_PREFIX": f"live{self.port}",
            "DJANGO_SETTINGS_MODULE": "theatre.config.settings",
            "THEATRE_BACKEND": "preview",
            "DEBUG": "true",
            **(extra_env or {}),
        }
        if "DATABASE_URL" not in (extra_env or {}):
            # Its own SQLite file, even when the test run itself is on Postgres (DATABASE_URL).
            self.env.pop("DATABASE_URL", None)
        self.worker_queues = workers
        self.processes = []
        self.logs = []

    def manage(self, *args):
        return subprocess.run([sys.executable, "manage.py", *args], cwd=BASE_DIR, env=self.env, check=True,
                              capture_output=True, text=True)

    def spawn(self, name, *args):
        log = open(self.var_dir / f"{name}.log", "wb")
        self.logs.append(log)
        process = subprocess.Popen([sys.executable, *args], cwd=BASE_DIR, env=self.env, stdout=log, stderr=subprocess.STDOUT,
                                   start_new_session=True)
        self.processes.append(process)
        return process

    def start_worker(self, queues, name=None):
        from theatre.config.launcher import worker_command

        return self.spawn(name or f"worker-{len(self.processes)}", *worker_command(queues)[1:])

    def start(self):
        self.var_dir.mkdir(parents=True, exist_ok=True)
        import redis

        redis.Redis.from_url(self.env["REDIS_URL"]).flushdb()
        self.manage("migrate", "--noinput")
        self.manage("load_stock")
        from theatre.config.launcher import web_command

        self.spawn("web", *web_command("127.0.0.1", self.port, self.env)[1:])
        for queues in self.worker_queues:
            self.start_worker(queues)
        deadline = time.time() + 30
        while time.time() < deadline:
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", self.port)) == 0:
                    return self
            time.sleep(0.1)
        raise RuntimeError(f"daphne did not start: {(self.var_dir / 'web.log').read_text()[-2000:]}")

    def stop(self):
        for process in self.processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
        for log in self.logs:
            log.close()

    def log(self, name):
        return (self.var_dir / f"{name}.log").read_text(errors="replace")

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


def logged_in_session(user):
    """A session key the site takes as `user` logged in, made through the configured session
    engine without the log-in form (whose password hash is slow on purpose): for tests and
    benchmarks that need hundreds of logged-in clients."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "accounts.backends.ProfileBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key
