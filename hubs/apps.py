from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class HubsConfig(AppConfig):
    """Early help hubs, their coverage and the postcode gazetteer."""

    name = "hubs"

    def ready(self) -> None:
        from hubs.maps import forget_map
        from hubs.models import CoverageRule, DataRelease, Hub

        # The hub areas map is drawn again after any change to what it shows.
        for model in (CoverageRule, DataRelease, Hub):
            post_save.connect(forget_map, sender=model, dispatch_uid=f"map-{model.__name__}")
            post_delete.connect(forget_map, sender=model, dispatch_uid=f"map-del-{model.__name__}")
