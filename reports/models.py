"""Reports hold no data of their own: they read the case side and the directory. This model only
carries the permissions that roles give (it has no table)."""

from django.db import models


class Report(models.Model):
    class Meta:
        managed = False
        default_permissions = ()
        permissions = [
            ("view_reports", "Can see reports for the hubs they manage"),
            ("view_every_hub_report", "Can see reports for every hub"),
            ("export_returns", "Can download returns and exports of case data"),
        ]

    def __str__(self) -> str:
        return "Reports"
