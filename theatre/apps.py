from django.apps import AppConfig


class TheatreConfig(AppConfig):
    name = "theatre"
    default_auto_field = "django.db.models.BigAutoField"
