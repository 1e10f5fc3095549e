"""The backend registry and how "auto" chooses: h3 only with its licence accepted, CUDA and its
weights; then wan; then preview. Never a tiny backend."""
import pytest

from inference import backends, weights
from inference.backends import REGISTRY, BackendUnavailable, choose_backend, get_backend


@pytest.fixture
def machine(monkeypatch, settings, tmp_path):
    """A machine where CUDA and both models' weights are there (as far as the registry can tell)."""
    settings.H3_WEIGHTS_DIR = tmp_path / "h3"
    settings.WAN_WEIGHTS_DIR = tmp_path / "wan"
    settings.H3_WEIGHTS_DIR.mkdir()
    settings.WAN_WEIGHTS_DIR.mkdir()
    monkeypatch.setattr(backends, "cuda_available", lambda: True)
    weights.forget_backend_state()
    yield settings
    weights.forget_backend_state()


def test_every_backend_is_one_registry_entry_with_what_it_needs():
    assert list(REGISTRY) == ["h3", "wan", "preview", "tiny", "tiny-h3"]
    for entry in REGISTRY.values():
        assert entry.factory.count(":") == 1 and entry.needs and entry.model
    assert "H3_LICENCE_ACCEPTED" in REGISTRY["h3"].settings and "WAN_WEIGHTS_DIR" in REGISTRY["wan"].settings


def test_auto_never_picks_h3_without_the_licence_setting(machine):
    machine.H3_LICENCE_ACCEPTED = False
    assert choose_backend("auto") == "wan"


def test_auto_picks_h3_once_the_licence_is_accepted(machine):
    machine.H3_LICENCE_ACCEPTED = True
    assert choose_backend("auto") == "h3"


def test_auto_falls_back_to_preview_without_cuda(machine, monkeypatch):
    machine.H3_LICENCE_ACCEPTED = True
    monkeypatch.setattr(backends, "cuda_available", lambda: False)
    assert choose_backend("auto") == "preview"


def test_h3_named_outright_is_refused_without_the_licence_setting(machine):
    machine.H3_LICENCE_ACCEPTED = False
    with pytest.raises(BackendUnavailable, match="H3_LICENCE_ACCEPTED"):
        get_backend("h3")
    assert "H3_LICENCE_ACCEPTED" in weights.backend_notice("h3")


def test_the_notice_names_the_model_when_h3_makes_the_films(machine):
    machine.H3_LICENCE_ACCEPTED = True
    assert "MiniMax-H3" in weights.backend_notice("auto")
    assert weights.backend_speaks("auto") is True


def test_h3_without_its_weights_says_how_to_fetch_them(machine, tmp_path):
    machine.H3_LICENCE_ACCEPTED = True
    machine.H3_WEIGHTS_DIR = tmp_path / "nowhere"
    machine.H3_MODEL = "someone/not-cached-here"
    weights.forget_backend_state()
    with pytest.raises(BackendUnavailable, match="fetch_weights --model h3"):
        get_backend("h3")
    assert "fetch_weights --model h3" in weights.backend_notice("h3")
