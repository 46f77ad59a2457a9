from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    """Early help assessments, the hub front door and Team Around the Family."""

    name = "referrals"
