from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AccountsConfig(AppConfig):
    """Staff accounts: practitioners, hub managers and administrators, and signing in."""

    name = "accounts"

    def ready(self) -> None:
        from accounts.services import sync_roles

        post_migrate.connect(sync_roles, dispatch_uid="accounts.sync_roles")
