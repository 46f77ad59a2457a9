from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_delete, post_save

# The shared version token (earlyhelp.versions) of what public pages show of the directory.
DIRECTORY_VERSION = "directory"


def directory_changed(**kwargs) -> None:
    from earlyhelp import versions

    versions.bump(DIRECTORY_VERSION)


class DirectoryConfig(AppConfig):
    """The public directory of services and places."""

    name = "directory"

    def ready(self) -> None:
        from directory.models import (
            Course,
            Location,
            Organisation,
            Schedule,
            Service,
            ServiceAtLocation,
            TaxonomyTerm,
        )

        # Any change to what a public service page shows gives the directory a new version (a
        # course's places left are read afresh: a registration changes no version).
        shown = [Course, Location, Organisation, Schedule, Service, ServiceAtLocation, TaxonomyTerm]
        for model in shown:
            name = model.__name__
            post_save.connect(directory_changed, sender=model, dispatch_uid=f"dir-{name}")
            post_delete.connect(directory_changed, sender=model, dispatch_uid=f"dir-del-{name}")
        m2m_changed.connect(
            directory_changed, sender=Service.terms.through, dispatch_uid="dir-service-terms"
        )
