from django.apps import AppConfig


class HubsConfig(AppConfig):
    """Early help hubs, their coverage and the postcode gazetteer."""

    name = "hubs"
