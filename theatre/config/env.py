"""Reading settings from the environment: the settings module and the process launcher
(theatre/config/launcher.py, which runs before Django is set up) read switches the same way."""
import os


def env_bool(name, default=False, environ=None):
    environ = os.environ if environ is None else environ
    return environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]
