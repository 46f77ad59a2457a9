import uuid
from datetime import date

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import models
from django_scopes import ScopedManager

from hubs.models import council_field


def one_calendar_month_after(received: date) -> date:
    """UK GDPR: a month from the day of receipt; with no such day, the month's last day
    (31 January -> 28 or 29 February)."""
    return received + relativedelta(months=1)


class RightsRequest(models.Model):
    """A request someone made under data protection law, about a child the portal holds."""

    class Kind(models.TextChoices):
        ACCESS = "access", "Subject access (a copy of what is held)"
        RECTIFICATION = "rectification", "Rectification (correct something wrong)"
        ERASURE = "erasure", "Erasure (delete it)"
        RESTRICTION = "restriction", "Restriction (stop using it for now)"
        OBJECTION = "objection", "Objection (stop using it)"

    class Relationship(models.TextChoices):
        SELF = "self", "The young person themselves"
        PARENT = "parent", "A parent with parental responsibility"
        CARER = "carer", "Another person with parental responsibility"
        REPRESENTATIVE = "representative", "A solicitor or representative, with authority"

    council = council_field()
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    requester_name = models.CharField(max_length=200)
    relationship = models.CharField(max_length=20, choices=Relationship.choices)
    child = models.ForeignKey("referrals.Child", on_delete=models.PROTECT, related_name="+")
    received_on = models.DateField()
    due_on = models.DateField()
    details = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    outcome = models.TextField(blank=True)
    closed_on = models.DateField(null=True, blank=True)

    objects = ScopedManager(council="council")

    class Meta:
        ordering = ["closed_on", "due_on"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} received {self.received_on:%d %B %Y}"

    def save(self, *args, **kwargs):
        self.due_on = one_calendar_month_after(self.received_on)
        super().save(*args, **kwargs)
