"""Everything held about a child, for a subject access request: their record, every case file
that names them (with the family and the plan around them), and who has looked at it.

One function decides what belongs to the child (``collect``); the HTML and the JSON in the zip
are both made from what it returns, so they cannot disagree.
"""

import io
import json
import zipfile
from datetime import date, datetime
from uuid import UUID

from django.db import models
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone

from earlyhelp.models import AuditEvent
from referrals.models import (
    Action,
    ActionNote,
    Assessment,
    AssessmentNeed,
    Child,
    ChildMerge,
    ConnectionRequest,
    Consent,
    Decision,
    Episode,
    EpisodeEvent,
    Family,
    FamilyFeedback,
    FamilyRequest,
    Household,
    Meeting,
    Outcome,
    OutcomeProgress,
    Person,
    Professional,
    RecordedContact,
    SupportRequest,
    TeamMember,
)

# Kept out of an export: secrets and keyed hashes that mean nothing to the requester.
NEVER = {"token_hash", "sender_hash", "password"}

# Sections that hold other people's information: flagged for redaction review before release.
THIRD_PARTY = {
    "people in the family": "Other family members are named here.",
    "professionals": "Professionals' names and contact details.",
    "assessments": "Written by practitioners; may describe other people.",
    "needs": "May describe other people.",
    "consents": "Who else was asked, and what they said.",
    "family requests": "Written by the person who asked for help.",
    "recorded contacts": "Who made the contact, and social workers' details.",
    "decisions": "Staff reasons; may describe other people.",
    "episodes": "May describe other people.",
    "team members": "Staff names and roles.",
    "outcomes": "May describe other family members' goals.",
    "actions": "May name other people.",
    "action notes": "Written by staff; may describe other people.",
    "meetings": "Notes of meetings other people attended.",
    "connection requests": "Messages between agencies.",
    "episode events": "May name staff and other people.",
    "family feedback": "Written by a parent or carer.",
}


def _value(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, models.Model):
        return str(value.pk)
    return value


def _row(instance: models.Model) -> dict:
    row = {"id": str(instance.pk)}
    for field in instance._meta.concrete_fields:
        if field.name in NEVER or field.primary_key:
            continue
        name = field.attname if field.is_relation else field.name
        row[str(field.verbose_name) if not field.is_relation else field.name] = _value(
            getattr(instance, name)
        )
    return row


def collect(child: Child) -> dict:
    """Every record about ``child``, by section, as lists of rows; and the views of them."""
    records = Person.objects.filter(child=child)
    families = Family.objects.filter(Q(people__in=records)).distinct()
    households = Household.objects.filter(Q(children=child) | Q(families__in=families)).distinct()
    requests = SupportRequest.objects.filter(family__in=families)
    assessments = Assessment.objects.filter(
        Q(family__in=families) | Q(support_request__in=requests)
    )
    episodes = Episode.objects.filter(Q(family__in=families) | Q(support_request__in=requests))
    outcomes = Outcome.objects.filter(episode__in=episodes)
    actions = Action.objects.filter(outcome__in=outcomes)
    meetings = Meeting.objects.filter(episode__in=episodes)
    sections = {
        "the child's record": Child.objects.filter(pk=child.pk),
        "households": households,
        "the child in each contact": records,
        "people in the family": Person.objects.filter(family__in=families).exclude(child=child),
        "families as recorded": families,
        "contacts": requests,
        "family requests": FamilyRequest.objects.filter(support_request__in=requests),
        "recorded contacts": RecordedContact.objects.filter(support_request__in=requests),
        "decisions": Decision.objects.filter(support_request__in=requests),
        "assessments": assessments,
        "needs": AssessmentNeed.objects.filter(assessment__in=assessments),
        "consents": Consent.objects.filter(assessment__in=assessments),
        "professionals": Professional.objects.filter(
            Q(assessment__in=assessments) | Q(child__in=records)
        ),
        "episodes": episodes,
        "team members": TeamMember.objects.filter(episode__in=episodes),
        "outcomes": outcomes,
        "actions": actions,
        "action notes": ActionNote.objects.filter(action__in=actions),
        "connection requests": ConnectionRequest.objects.filter(action__in=actions),
        "meetings": meetings,
        "progress ratings": OutcomeProgress.objects.filter(meeting__in=meetings),
        "episode events": EpisodeEvent.objects.filter(episode__in=episodes),
        "family feedback": FamilyFeedback.objects.filter(episode__in=episodes),
        "record merges": ChildMerge.objects.filter(Q(kept=child) | Q(merged=child)),
    }
    data = {name: [_row(row) for row in rows.distinct()] for name, rows in sections.items()}
    keys = {
        (rows.model._meta.model_name, row["id"])
        for name, rows in sections.items()
        for row in data[name]
    }
    types = {model for model, _ in keys}
    views = (
        AuditEvent.objects.filter(
            record_type__in=types, record_id__in=[record_id for _, record_id in keys]
        )
        .select_related("actor")
        .order_by("at", "id")
    )
    data["who looked at or changed these records"] = [
        {
            "at": event.at.isoformat(),
            "who": str(event.actor) if event.actor else "a member of the public",
            "what": event.action,
            "record": f"{event.record_type} {event.record_id}",
        }
        for event in views.iterator()
        if (event.record_type, event.record_id) in keys
    ]
    return data


def export_zip(request_record, child: Child) -> tuple[bytes, dict]:
    """The zip an administrator downloads: index.html (prints to PDF) and data.json."""
    data = collect(child)
    made = timezone.now()
    meta = {
        "request": str(request_record),
        "child": child.reference,
        "made_at": made.isoformat(),
        "review_for_third_parties": THIRD_PARTY,
    }
    html = render_to_string(
        "privacy/export.html",
        {"data": data, "meta": meta, "child": child, "third_party": THIRD_PARTY, "made": made},
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("index.html", html)
        archive.writestr(
            "data.json", json.dumps({"about": meta, "records": data}, indent=2, default=str)
        )
    counts = {name.replace(" ", "_").replace("'", ""): len(rows) for name, rows in data.items()}
    return buffer.getvalue(), counts
