from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    """People's rights over their data: subject access, rectification and erasure requests."""

    name = "privacy"
    verbose_name = "Data protection rights"
