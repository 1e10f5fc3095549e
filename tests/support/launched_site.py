"""A whole site started the way `./run site` starts it: the launcher (theatre/config/launcher.py)
prepares a var folder of its own, then becomes supervisord, which runs the site's own Redis, the
workers, RQ's scheduler, the reconciler and Daphne as its children. For the fault tests that kill
those children; `pids()` asks supervisord (through supervisorctl) which process is which."""
import os
import signal
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

from tests.support.live_site import free_port
from tests.support.paths import BASE_DIR
from tests.support.site_films import wait_for


class LaunchedSite:
    def __init__(self, var_dir, extra_env=None):
        self.var_dir = Path(var_dir)
        self.port, self.redis_port = free_port(), free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {key: value for key, value in os.environ.items() if key not in {"REDIS_URL", "DATABASE_URL", "WORKERS"}}
        self.env = {
            **env,
            "THEATRE_VAR_DIR": str(self.var_dir), "PORT": str(self.port), "REDIS_PORT": str(self.redis_port),
            "DJANGO_SETTINGS_MODULE": "theatre.config.settings", "THEATRE_BACKEND": "preview", "DEBUG": "true",
            **(extra_env or {}),
        }
        self.process = None
        # The launcher starts its own Redis because REDIS_URL is unset; `env` is for the test's own
        # processes that work on the site's database and Redis (site_films.make_films).
        self.launcher_env, self.env = self.env, {**self.env, "REDIS_URL": f"redis://127.0.0.1:{self.redis_port}/0"}

    def start(self, timeout=300):
        self.var_dir.mkdir(parents=True, exist_ok=True)
        self.log_file = open(self.var_dir / "site.log", "wb")
        # A session of its own: the test can send SIGINT to the whole group, as a terminal's Ctrl+C does.
        self.process = subprocess.Popen([sys.executable, "-m", "theatre.config.launcher", "site"], cwd=BASE_DIR,
                                        env=self.launcher_env, stdout=self.log_file, stderr=subprocess.STDOUT,
                                        start_new_session=True)
        wait_for(lambda: self.answers() or self._exited(), timeout=timeout, interval=0.5, what="the site to answer")
        wait_for(lambda: self.all_running() or self._exited(), timeout=timeout, interval=0.5,
                 what="every program to be RUNNING")
        return self

    def _exited(self):
        if self.process.poll() is not None:
            raise AssertionError(f"the launcher exited ({self.process.returncode}):\n{self.log()[-4000:]}")
        return False

    def answers(self, path="/healthz"):
        try:
            with urllib.request.urlopen(self.url + path, timeout=5) as response:
                return response.status == 200
        except (OSError, urllib.error.URLError):
            return False

    def status(self):
        """{program: (state, pid or None)} as supervisorctl reports them."""
        done = subprocess.run([sys.executable, "-m", "supervisor.supervisorctl", "-c", str(self.var_dir / "supervisord.conf"),
                               "status"], cwd=BASE_DIR, capture_output=True, text=True, timeout=30)
        programs = {}
        for line in done.stdout.splitlines():
            parts = line.split()
            if len(parts) >= 2:
                pid = int(parts[3].rstrip(",")) if len(parts) > 3 and parts[2] == "pid" else None
                programs[parts[0]] = (parts[1], pid)
        return programs

    def all_running(self):
        programs = self.status()
        return bool(programs) and all(state == "RUNNING" for state, _pid in programs.values()) and programs

    def pid(self, program):
        state, pid = self.status().get(program, (None, None))
        return pid if state == "RUNNING" else None

    def processes_left(self):
        """Every process still running that was started for this site: found by the var folder in
        its environment, which each child (and any orphan of a child) inherits."""
        marker = f"THEATRE_VAR_DIR={self.var_dir}".encode()
        left = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit() or int(entry.name) == os.getpid():
                continue
            try:
                if marker in (entry / "environ").read_bytes().split(b"\0"):
                    state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
                    if state != "Z":
                        left.append((int(entry.name), (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()))
            except OSError:
                continue
        return left

    def stop(self, how="SIGTERM", timeout=90):
        """SIGTERM to the launcher, or SIGINT to its whole process group (a terminal's Ctrl+C)."""
        if self.process.poll() is None:
            if how == "SIGINT":
                os.killpg(self.process.pid, signal.SIGINT)
            else:
                self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout=timeout)
        finally:
            self.log_file.close()

    def kill_everything(self):
        """Cleanup after a failed test: nothing of this site may outlive it."""
        for pid, _cmd in self.processes_left():
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass

    def log(self):
        return (self.var_dir / "site.log").read_text(errors="replace")

    def __enter__(self):
        try:
            return self.start()
        except BaseException:
            self.kill_everything()
            raise

    def __exit__(self, *exc):
        if self.process.poll() is None:
            self.stop()
        self.kill_everything()
