"""Imports point one way. inference's engine (backends, media, voice, the specs, the render, the
queue, progress and status plumbing) imports nothing of theatre or accounts, so it runs in a worker,
a benchmark or a test without the site. theatre and accounts use that engine, never inference's
job layer (jobs, film_spec, reconcile, consumers), which is the one part that reads theatre's rows;
jobs are enqueued by name. Only the project wiring (theatre/config) may name the whole of inference."""
import pytest

from tests.support.imports import BASE_DIR, imported_modules, python_files

ENGINE = ("inference/backends", "inference/media", "inference/voice", "inference/specs.py", "inference/render.py",
          "inference/queueing.py", "inference/progress.py", "inference/status.py", "inference/weights.py")
JOB_LAYER = ("inference.jobs", "inference.film_spec", "inference.reconcile", "inference.consumers",
             "inference.routing", "inference.management")
SITE = [path for path in python_files("theatre", "accounts") if "config" not in path.relative_to(BASE_DIR).parts]


def under(module, packages):
    return any(module == package or module.startswith(package + ".") for package in packages)


def label(path):
    return str(path.relative_to(BASE_DIR))


@pytest.mark.parametrize("path", list(python_files(*ENGINE)), ids=label)
def test_the_engine_imports_nothing_of_the_site(path):
    assert [m for m in imported_modules(path) if under(m, ("theatre", "accounts"))] == []


@pytest.mark.parametrize("path", SITE, ids=label)
def test_the_site_never_imports_the_job_layer(path):
    assert [m for m in imported_modules(path) if under(m, JOB_LAYER)] == []


def test_the_rules_see_imports_inside_functions_and_relative_ones(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("def f():\n    from theatre.models import Film\n\nfrom " + ".." + "jobs import render_film\n")
    modules = imported_modules(sample, module="inference.media.sample")
    assert "theatre.models" in modules and "inference.jobs.render_film" in modules
    assert under("inference.jobs.render_film", JOB_LAYER) and not under("inference.jobsx", JOB_LAYER)
