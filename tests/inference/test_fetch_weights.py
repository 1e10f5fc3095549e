"""manage.py fetch_weights checks a weights folder, loads it, and fails clearly offline; the site
says what renders films when the GPU weights are missing."""
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from inference import weights
from inference.backends.tiny import save_tiny_pipeline
from theatre.services import casting
from theatre.models import Film
from theatre.stock.loading import load_stock

from tests.support.short_films import short_film
from tests.support.paths import BASE_DIR

ROOT = BASE_DIR


@pytest.fixture(scope="module")
def tiny_weights(tmp_path_factory):
    return save_tiny_pipeline(tmp_path_factory.mktemp("weights") / "wan")


def fetch_weights(*args):
    from io import StringIO

    out = StringIO()
    call_command("fetch_weights", *args, stdout=out)
    return out.getvalue()


def test_check_passes_on_a_complete_pipeline_folder(tiny_weights):
    out = fetch_weights("--check", "--dir", str(tiny_weights))
    assert "complete WanVACEPipeline" in out and "ready" in out


def test_check_with_load_loads_the_pipeline_through_the_workers_loader(tiny_weights):
    out = fetch_weights("--check", "--load", "--dir", str(tiny_weights))
    assert "Loaded WanVACEPipeline" in out


def test_check_fails_clearly_on_an_empty_folder(tmp_path):
    with pytest.raises(CommandError, match="no model_index.json"):
        fetch_weights("--check", "--dir", str(tmp_path))


def test_check_fails_clearly_on_a_missing_folder(tmp_path):
    with pytest.raises(CommandError, match="There is no weights folder"):
        fetch_weights("--check", "--dir", str(tmp_path / "nowhere"))


def test_check_names_the_missing_weight_files(tmp_path, tiny_weights):
    import shutil

    broken = Path(shutil.copytree(tiny_weights, tmp_path / "wan"))
    (broken / "transformer" / "diffusion_pytorch_model.safetensors").unlink()
    shutil.rmtree(broken / "vae")
    with pytest.raises(CommandError, match=r"missing: transformer/\*\.safetensors, vae/"):
        fetch_weights("--check", "--dir", str(broken))


def test_the_14b_shorthand_names_the_14b_model_and_its_own_folder():
    assert weights.model_id("14b") == "Wan-AI/Wan2.1-VACE-14B-diffusers"
    assert weights.default_folder("14b").name == "wan2.1-vace-14b-diffusers"


def test_downloading_without_network_fails_with_a_clear_message(tmp_path):
    # A real process: huggingface_hub reads HF_HUB_OFFLINE when it is imported.
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "HF_HOME": str(tmp_path / "hf")}
    result = subprocess.run([sys.executable, "manage.py", "fetch_weights", "--dir", str(tmp_path / "wan")],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode != 0
    assert "Could not download Wan-AI/Wan2.1-VACE-1.3B-diffusers" in result.stderr
    assert "needs a machine that reaches huggingface.co" in result.stderr


@pytest.fixture
def no_weights(settings, tmp_path):
    settings.WAN_WEIGHTS_DIR = tmp_path / "no-weights-here"
    settings.WAN_MODEL = "theatre-tests/never-downloaded"  # so this machine's HF cache cannot hold it
    weights.forget_backend_state()
    yield settings
    weights.forget_backend_state()


def test_a_wan_render_without_weights_fails_with_a_readable_reason(alice, private_media, no_weights, run_queue,
                                                                   django_capture_on_commit_callbacks):
    load_stock()
    no_weights.THEATRE_BACKEND = "wan"
    film = short_film(alice, shots=1)
    with django_capture_on_commit_callbacks(execute=True):
        casting.request_render(film, alice)
    run_queue("gpu")
    film.refresh_from_db()
    assert film.status == Film.Status.FAILED
    assert "The Wan weights are not installed" in film.failure_reason
    assert "fetch_weights" in film.failure_reason


def test_the_film_page_says_the_preview_renderer_is_used_without_weights(client, alice, private_media, no_weights):
    load_stock()
    no_weights.THEATRE_BACKEND = "auto"
    film = short_film(alice)
    client.force_login(alice)
    page = client.get(reverse("theatre:film_edit", args=[film.pk])).content.decode()
    assert "Rendering with the CPU preview renderer: no GPU weights installed." in page


def test_the_admin_warns_when_wan_is_chosen_without_weights(admin_client, no_weights):
    no_weights.THEATRE_BACKEND = "wan"
    page = admin_client.get(reverse("admin:index")).content.decode()
    assert 'id="backend-notice"' in page and "fetch_weights" in page


def test_no_notice_when_the_configured_generator_can_run(client, alice, private_media, settings, tiny_weights):
    load_stock()
    settings.THEATRE_BACKEND = "preview"
    weights.forget_backend_state()
    film = short_film(alice)
    client.force_login(alice)
    assert 'id="backend-notice"' not in client.get(reverse("theatre:film_edit", args=[film.pk])).content.decode()
    weights.forget_backend_state()


@pytest.fixture(scope="module")
def tiny_h3_weights(tmp_path_factory):
    pytest.importorskip("diffusers")
    from inference.backends.h3_tiny import save_tiny_h3_pipeline

    return save_tiny_h3_pipeline(tmp_path_factory.mktemp("weights") / "h3")


def test_check_with_model_h3_checks_and_loads_a_minimax_h3_folder(tiny_h3_weights):
    out = fetch_weights("--model", "h3", "--check", "--load", "--dir", str(tiny_h3_weights))
    assert "complete MiniMaxH3ModularPipeline (ref2va)" in out
    assert "Loaded MiniMaxH3ModularPipeline" in out
    assert "H3_LICENCE_ACCEPTED" in out  # the site will not use it until the operator accepts the licence


def test_check_with_model_h3_names_the_missing_parts(tmp_path, tiny_h3_weights):
    import shutil

    broken = Path(shutil.copytree(tiny_h3_weights, tmp_path / "h3"))
    shutil.rmtree(broken / "audio_vae")
    with pytest.raises(CommandError, match="missing: audio_vae/"):
        fetch_weights("--model", "h3", "--check", "--dir", str(broken))


def test_fetch_weights_for_h3_fails_clearly_offline(tmp_path, monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    with pytest.raises(CommandError, match="Could not download MiniMaxAI/MiniMax-H3"):
        fetch_weights("--model", "h3", "--dir", str(tmp_path / "h3"))
