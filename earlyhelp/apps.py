from django.apps import AppConfig
from django.db.models.signals import post_migrate


class EarlyHelpConfig(AppConfig):
    """Project-wide pages (about, privacy, health check) and commands (bench)."""

    name = "earlyhelp"
    verbose_name = "Early help portal"

    def ready(self) -> None:
        from earlyhelp.db_roles import grant_after_migrate

        post_migrate.connect(grant_after_migrate, sender=self)
