from django.apps import AppConfig


class TheatreConfig(AppConfig):
    name = "theatre"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from theatre.services import sharing  # noqa: F401  (connects the receivers that forget stopped links)
