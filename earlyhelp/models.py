from django.conf import settings
from django.db import models
from django.utils import timezone


class AuditEvent(models.Model):
    """One read or change of case data: who, what, which record, when, from where.

    Written only through earlyhelp.audit.record(). The table is append-only: a database trigger
    (migration 0002) rejects every UPDATE and DELETE, whoever sends it.
    """

    at = models.DateTimeField(default=timezone.now, db_index=True)
    # PROTECT: staff accounts are switched off, never deleted, while their audit trail exists.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="audit_events",
        help_text="Empty for a member of the public (a parent asking for help).",
    )
    action = models.CharField(max_length=60)
    record_type = models.CharField(max_length=40)
    record_id = models.CharField(max_length=64)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    # What changed (field names, decision kinds, counts); never a family's details.
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["record_type", "record_id", "at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor or 'public'} {self.action} {self.record_id}"
