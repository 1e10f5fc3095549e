"""The supervisord configuration `./run site` writes (theatre/config/launcher.py): every process
of the site is restarted when it dies, with backoff, and stopped with the site, Redis first up and
last down. tests/faults/test_site_children_killed.py kills the real processes."""
import configparser
import stat

import pytest

from theatre.config import launcher


def programs_of(path):
    config = configparser.RawConfigParser()
    config.read(path)
    return {section.split(":", 1)[1]: dict(config[section]) for section in config.sections() if section.startswith("program:")}


@pytest.fixture
def site_env(monkeypatch):
    for name in ("REDIS_URL", "WORKERS", "RECONCILE_EVERY", "PROXY_HEADERS"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("REDIS_PORT", "1")  # nothing listens there: the site starts its own Redis


def written(tmp_path):
    return launcher.supervisor_config(tmp_path, launcher.site_programs(tmp_path))


def test_every_process_of_the_site_is_restarted_when_it_dies_and_stopped_with_the_site(tmp_path, site_env):
    programs = programs_of(written(tmp_path))
    assert list(programs) == ["redis", "worker-1-gpu", "worker-2-cpu-default", "scheduler", "reconciler", "web"]
    for name, program in programs.items():
        assert program["autorestart"] == "true", name
        assert int(program["startretries"]) >= 10 and int(program["startsecs"]) >= 1, name
        assert program["stopasgroup"] == program["killasgroup"] == "true", name
    priorities = [int(program["priority"]) for program in programs.values()]
    assert priorities == sorted(priorities)  # Redis starts first and stops last; the web server the other way


def test_workers_leave_rqs_scheduler_to_a_process_of_its_own(tmp_path, site_env):
    programs = programs_of(written(tmp_path))
    assert "--with-scheduler" not in programs["worker-2-cpu-default"]["command"]
    assert programs["scheduler"]["command"].endswith("manage.py schedule default")


def test_workers_follows_the_workers_setting(tmp_path, site_env, monkeypatch):
    monkeypatch.setenv("WORKERS", "gpu;gpu")
    programs = programs_of(written(tmp_path))
    assert [name for name in programs if name.startswith("worker")] == ["worker-1-gpu", "worker-2-gpu"]
    assert "scheduler" not in programs  # nothing here serves the default queue


def test_a_redis_url_means_no_redis_of_the_sites_own(tmp_path, site_env, monkeypatch):
    monkeypatch.setenv("REDIS_URL", "redis://redis.internal:6379/0")
    assert "redis" not in programs_of(written(tmp_path))


def test_the_control_socket_and_its_password_are_the_owners_alone(tmp_path, site_env):
    path = written(tmp_path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    config = configparser.RawConfigParser()
    config.read(path)
    assert config["unix_http_server"]["chmod"] == "0700"
    assert config["unix_http_server"]["password"] == config["supervisorctl"]["password"]
    assert len(config["supervisorctl"]["password"]) >= 32


def test_a_percent_sign_in_a_path_is_not_read_as_a_supervisord_expansion(tmp_path, site_env):
    folder = tmp_path / "100%"
    folder.mkdir()
    programs = programs_of(written(folder))
    assert "100%%" in programs["redis"]["command"]
