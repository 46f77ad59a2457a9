from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hubs.models import council_field


class AuditEvent(models.Model):
    """One read or change of case data: who, what, which record, when, from where.

    Written only through earlyhelp.audit.record(). The table is append-only: database triggers
    reject every UPDATE, DELETE (migration 0002) and TRUNCATE (0003), whoever sends them, and the
    app's role is granted none of them (earlyhelp.db_roles). Each event carries the hash of the
    one before it, set by the database as the row is added (0003); `manage.py verify_audit`
    recomputes the chain, so a row changed or removed by someone who got past all that shows.
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
    # Set by the database (trigger earlyhelp_auditevent_chain); whatever the app sends is ignored.
    previous_hash = models.CharField(max_length=64, blank=True, editable=False)
    hash = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["record_type", "record_id", "at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor or 'public'} {self.action} {self.record_id}"


class SentEmail(models.Model):
    """An email handed to the mail server, by the idempotency key its task carries: a task run
    again (a retry, or recovered from a worker that died) never sends the same email twice."""

    key = models.UUIDField(primary_key=True)
    sent_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.key} at {self.sent_at:%Y-%m-%d %H:%M}"


class JobRun(models.Model):
    """When each scheduled job (earlyhelp.schedule) last started and how it ended, so a restarted
    scheduler does not rerun everything and two schedulers never run a job twice."""

    name = models.CharField(max_length=60, primary_key=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=200, blank=True)

    def __str__(self) -> str:
        return f"{self.name}: {self.outcome or 'never run'}"


class ServiceFeedback(models.Model):
    """What someone thought of the service, from the phase banner's feedback link. Anonymous:
    the page is kept as its route's name (never an address with a record's ID in it) and the
    sender only as a keyed hash, to limit how many an hour."""

    class Rating(models.IntegerChoices):
        VERY_SATISFIED = 5, _("Very satisfied")
        SATISFIED = 4, _("Satisfied")
        NEITHER = 3, _("Neither satisfied nor dissatisfied")
        DISSATISFIED = 2, _("Dissatisfied")
        VERY_DISSATISFIED = 1, _("Very dissatisfied")

    class About(models.TextChoices):
        SERVICE = "service", "The service"
        # From "Is this translation wrong? Tell us" on a page in another language (#16).
        TRANSLATION = "translation", "A translation"

    council = council_field()
    about = models.CharField(max_length=20, choices=About.choices, default=About.SERVICE)
    # None for a report of a wrong translation, which asks only what is wrong.
    rating = models.PositiveSmallIntegerField(
        "overall satisfaction", choices=Rating.choices, null=True, blank=True
    )
    improve = models.TextField("how we could improve this service", blank=True)
    page = models.CharField(max_length=100, blank=True)
    # The language the page was in (a code from settings.LANGUAGES).
    language = models.CharField(max_length=10, blank=True)
    sender_hash = models.CharField(max_length=64, blank=True)
    received_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-received_at"]
        verbose_name_plural = "service feedback"
        indexes = [models.Index(fields=["sender_hash", "received_at"])]

    def __str__(self) -> str:
        shown = self.get_rating_display() or self.get_about_display()
        return f"{shown} ({self.received_at:%d %b %Y})"
