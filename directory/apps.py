from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    """The public directory of services and places."""

    name = "directory"
