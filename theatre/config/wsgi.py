"""WSGI entry point, for hosts that serve only HTTP (live progress then falls back to polling)."""
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "theatre.config.settings")
application = get_wsgi_application()
