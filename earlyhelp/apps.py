from django.apps import AppConfig


class EarlyHelpConfig(AppConfig):
    """Project-wide pages (about, privacy, health check) and commands (bench)."""

    name = "earlyhelp"
    verbose_name = "Early help portal"
