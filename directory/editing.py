"""Changing directory listings: saved edits with history, no lost updates, providers' proposals,
status changes and the review cycle.

Every change goes through ``save_changes``: it locks the service, refuses an edit made on an
older version (``EditConflict``), writes the fields, bumps the version and records a
``ListingChange`` with each field before and after, and audits it.
"""

from dataclasses import dataclass
from datetime import date, time

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.text import slugify

from directory.filters import LANGUAGE_NAMES
from directory.models import (
    LifeStage,
    ListingChange,
    Location,
    Organisation,
    Proposal,
    Service,
    ServiceAtLocation,
    TaxonomyTerm,
)
from earlyhelp import audit
from earlyhelp.languages import english_name
from earlyhelp.times import clock

EVERY = "directory.manage_every_service"
CHANGE = "directory.change_service"
PROPOSE = "directory.propose_change_service"


# --- Who edits what ---------------------------------------------------------------------------


def services_for(user) -> QuerySet[Service]:
    """The services this person may see in /manage/ and change (or propose changes to).

    Administrators: all. Hub managers: services with a place in one of their hubs, and
    services with no place in any hub (online, borough-wide, or at a place no hub covers yet),
    which every hub manager keeps. Provider editors: their organisation's services.
    """
    services = Service.objects.all()
    if user.has_perm(EVERY):
        return services
    scope = Q(pk__in=[])
    if user.has_perm(CHANGE):
        in_my_hubs = ServiceAtLocation.objects.filter(location__hub__managers=user)
        in_any_hub = ServiceAtLocation.objects.filter(location__hub__isnull=False)
        scope |= Q(pk__in=in_my_hubs.values("service")) | ~Q(pk__in=in_any_hub.values("service"))
    if user.has_perm(PROPOSE) and user.provider_organisation_id:
        scope |= Q(organisation_id=user.provider_organisation_id)
    return services.filter(scope)


def locations_for(user) -> QuerySet[Location]:
    """Places this person may change: every place for administrators, their hubs' for managers."""
    if user.has_perm(EVERY):
        return Location.objects.all()
    if user.has_perm("directory.change_location"):
        return Location.objects.filter(hub__managers=user)
    return Location.objects.none()


def organisations_for(user) -> QuerySet[Organisation]:
    if user.has_perm(CHANGE):
        return Organisation.objects.all()
    return Organisation.objects.filter(pk=user.provider_organisation_id)


def changes_directly(user, service: Service) -> bool:
    """Whether this person's edits go live at once (managers; providers on their own drafts) or
    wait for approval (providers on a published service)."""
    if user.has_perm(CHANGE):
        return True
    return service.status == Service.Status.DRAFT


def proposals_for(user) -> QuerySet[Proposal]:
    """Proposals this person may approve: those on services they manage."""
    if not user.has_perm("directory.review_proposal"):
        return Proposal.objects.none()
    return Proposal.objects.filter(service__in=services_for(user))


# --- How fields read in history, diffs and the summary ------------------------------------------

LABELS = {
    "organisation": "Organisation",
    "name": "Name",
    "summary": "Summary",
    "description": "Description",
    "i18n": "Translations",
    "terms": "Support offered",
    "minimum_age": "Youngest age",
    "maximum_age": "Oldest age",
    "life_stages": "Life stages",
    "send_up_to_25": "Up to 25 with SEND",
    "languages": "Languages",
    "is_free": "Free",
    "cost_description": "Cost details",
    "how_to_access": "How to get it",
    "delivery": "How it is given",
    "accessibility": "Accessibility",
    "email": "Email",
    "phone": "Phone",
    "url": "Website",
    "status": "Status",
    "last_reviewed": "Last checked",
    "places": "Places and times",
}


def shown(service: Service, field: str) -> str:
    """A field's value as words, for history and diffs."""
    if field == "terms":
        return ", ".join(sorted(term.name for term in service.terms.all())) or "None"
    if field == "places":
        return "; ".join(place_lines(service)) or "None"
    value = getattr(service, field)
    return shown_value(field, value)


def shown_value(field: str, value) -> str:
    if field == "i18n":
        return translations_shown(value)
    if field == "organisation":
        return str(value) if value else "None"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if value in (None, "", []):
        return "Not given"
    if field == "life_stages":
        labels = dict(LifeStage.choices)
        return ", ".join(str(labels.get(v, v)) for v in value)
    if field == "languages":
        return ", ".join(str(LANGUAGE_NAMES.get(v, v)) for v in value)
    if field == "delivery":
        labels = dict(Service.Delivery.choices)
        return ", ".join(str(labels.get(v, v)) for v in value)
    if field == "how_to_access":
        return str(dict(Service.Access.choices).get(value, value))
    if field == "status":
        return str(dict(Service.Status.choices).get(value, value))
    if isinstance(value, date):
        return f"{value:%-d %B %Y}"
    return str(value)


def translations_shown(value: dict | None) -> str:
    """Which parts of a listing are translated, by language: "Persian: name, summary; ..."."""
    if not value:
        return "None"
    parts: dict[str, list[str]] = {}
    for key in value:
        part, _, code = key.partition("_")
        language = english_name(code, code)
        parts.setdefault(language, []).append(part)
    order = ["name", "summary", "description"]
    return "; ".join(
        f"{language}: {', '.join(sorted(given, key=order.index))}"
        for language, given in sorted(parts.items())
    )


def proposed_value(field: str, value) -> str:
    """A proposal's stored (JSON) value as words."""
    if field == "terms":
        names = TaxonomyTerm.objects.filter(pk__in=value).values_list("name", flat=True)
        return ", ".join(sorted(names)) or "None"
    if field == "organisation":
        return str(Organisation.objects.filter(pk=value).first() or "None")
    return shown_value(field, value)


def place_lines(service: Service) -> list[str]:
    lines = []
    for link in service.service_at_locations.all():
        sessions = ", ".join(str(s) for s in link.schedules.all())
        lines.append(f"{link.location.name}" + (f" ({sessions})" if sessions else ""))
    return sorted(lines)


# --- Saving -------------------------------------------------------------------------------------


class EditConflict(Exception):
    """Someone saved the listing after this person opened it."""

    def __init__(self, service: Service, since: QuerySet[ListingChange]):
        super().__init__(str(service.pk))
        self.service = service
        self.since = since


def to_json(values: dict) -> dict:
    """Cleaned form values as JSON (model instances by primary key), for a proposal."""
    out = {}
    for field, value in values.items():
        if field == "terms":
            out[field] = sorted(str(term.pk) for term in value)
        elif hasattr(value, "pk"):
            out[field] = str(value.pk)
        elif isinstance(value, date):
            out[field] = value.isoformat()
        else:
            out[field] = value
    return out


def from_json(values: dict) -> dict:
    out = dict(values)
    if "terms" in out:
        out["terms"] = list(TaxonomyTerm.objects.filter(pk__in=out["terms"]))
    if "organisation" in out:
        out["organisation"] = Organisation.objects.get(pk=out["organisation"])
    return out


def _lock(service: Service, seen_version: int | None) -> Service:
    current = Service.objects.select_for_update().get(pk=service.pk)
    if seen_version is not None and current.version != seen_version:
        since = (
            ListingChange.objects.filter(service=current, version__gt=seen_version)
            .select_related("changed_by")
            .order_by("changed_at")
        )
        raise EditConflict(current, since)
    return current


def _record(service, fields, before, by, summary, proposal=None) -> ListingChange | None:
    after = {field: shown(service, field) for field in fields}
    changed = [
        {"field": f, "label": LABELS.get(f, f), "before": before[f], "after": after[f]}
        for f in fields
        if before[f] != after[f]
    ]
    if not changed:
        return None
    service.version += 1
    service.updated_at = timezone.now()
    service.save(update_fields=["version", "updated_at"])
    return ListingChange.objects.create(
        service=service,
        version=service.version,
        changed_by=by,
        summary=summary,
        fields=changed,
        proposal=proposal,
    )


@transaction.atomic
def save_changes(
    service: Service,
    values: dict,
    *,
    by,
    seen_version: int | None,
    summary: str,
    request=None,
    proposal: Proposal | None = None,
) -> Service:
    """Write ``values`` to the service if nobody saved it since ``seen_version``."""
    current = _lock(service, seen_version)
    fields = list(values)
    before = {field: shown(current, field) for field in fields}
    plain = {f: v for f, v in values.items() if f != "terms"}
    for field, value in plain.items():
        setattr(current, field, value)
    current.full_clean(exclude=["key", "terms"])
    if plain:
        current.save(update_fields=list(plain))
    if "terms" in values:
        current.terms.set(values["terms"])
    change = _record(current, fields, before, by, summary, proposal)
    if change is not None:
        audit.record(request, "service.changed", current, user=by, fields=fields)
    return current


@transaction.atomic
def create_draft(*, organisation: Organisation, name: str, summary: str, by, request=None):
    service = Service(
        key=f"{slugify(name)[:150]}-{timezone.now():%Y%m%d%H%M%S%f}",
        organisation=organisation,
        name=name,
        summary=summary,
        status=Service.Status.DRAFT,
        how_to_access=Service.Access.SELF_REFER,
        updated_at=timezone.now(),
    )
    service.full_clean()
    service.save()
    ListingChange.objects.create(
        service=service, version=1, changed_by=by, summary="Started as a draft", fields=[]
    )
    audit.record(request, "service.created", service, user=by)
    return service


def _places_change(
    service: Service, by, summary: str, request, action, seen_version: int | None
) -> None:
    with transaction.atomic():
        current = _lock(service, seen_version)
        before = {"places": shown(current, "places")}
        action()
        _record(current, ["places"], before, by, summary)
        audit.record(request, "service.places_changed", current, user=by)


def add_place(
    service, *, location, session: dict | None, by, seen_version: int | None, request=None
) -> None:
    def action():
        link, _ = ServiceAtLocation.objects.get_or_create(service=service, location=location)
        if session:
            link.schedules.create(**session)

    _places_change(service, by, f"Added {location.name}", request, action, seen_version)


def remove_place(
    service, link: ServiceAtLocation, *, by, seen_version: int | None, request=None
) -> None:
    summary = f"Removed {link.location.name}"
    _places_change(service, by, summary, request, link.delete, seen_version)


def remove_session(service, session, *, by, seen_version: int | None, request=None) -> None:
    summary = f"Removed a session: {session}"
    _places_change(service, by, summary, request, session.delete, seen_version)


# A provider's change to places and times, as a proposal's values:
#   {"action": "add", "location": id, "session": {"weekday": 2, "opens_at": "10:00", ...} | None}
#   {"action": "remove_place", "link": id}  or  {"action": "remove_session", "session": id}


def place_change_values(action: str, **parts) -> dict:
    values = {"action": action}
    for key, value in parts.items():
        if key == "session" and value:
            value = {
                k: v.strftime("%H:%M") if hasattr(v, "strftime") else v for k, v in value.items()
            }
        values[key] = str(value.pk) if hasattr(value, "pk") else value
    return values


def describe_place_change(values: dict) -> str:
    from directory.models import Schedule, Weekday

    action = values.get("action")
    if action == "add":
        place = Location.objects.filter(pk=values.get("location")).first()
        text = f"Add {place.name if place else 'a place no longer listed'}"
        if session := values.get("session"):
            text += (
                f": {Weekday(session['weekday']).label}s "
                f"{clock(time.fromisoformat(session['opens_at']))} to "
                f"{clock(time.fromisoformat(session['closes_at']))}"
                + (" (term time only)" if session.get("term_time_only") else "")
            )
        return text
    if action == "remove_place":
        link = ServiceAtLocation.objects.filter(pk=values.get("link")).select_related("location")
        link = link.first()
        return f"Remove {link.location.name}" if link else "Remove a place no longer listed"
    session = Schedule.objects.filter(pk=values.get("session")).first()
    return f"Remove the session {session}" if session else "Remove a session no longer listed"


def apply_place_change(
    service: Service, values: dict, *, by, seen_version: int | None = None, request=None
) -> None:
    """Apply an approved place change; a place or session gone since is a ValidationError, a
    listing changed since ``seen_version`` an EditConflict."""
    from directory.models import Schedule

    action = values.get("action")
    if action == "add":
        location = Location.objects.filter(pk=values.get("location"), is_confidential=False)
        location = location.first()
        if location is None:
            raise ValidationError("That place is no longer listed")
        session = values.get("session")
        if session:
            session = {
                **session,
                "opens_at": time.fromisoformat(session["opens_at"]),
                "closes_at": time.fromisoformat(session["closes_at"]),
            }
        add_place(
            service,
            location=location,
            session=session,
            by=by,
            seen_version=seen_version,
            request=request,
        )
    elif action == "remove_place":
        link = ServiceAtLocation.objects.filter(pk=values.get("link"), service=service).first()
        if link is None:
            raise ValidationError("That place is no longer listed for this service")
        remove_place(service, link, by=by, seen_version=seen_version, request=request)
    else:
        session = Schedule.objects.filter(
            pk=values.get("session"), service_at_location__service=service
        ).first()
        if session is None:
            raise ValidationError("That session is no longer listed")
        remove_session(service, session, by=by, seen_version=seen_version, request=request)


# --- Publishing ---------------------------------------------------------------------------------

STATUS_ACTIONS = {
    # action: (new status, the statuses it applies to, summary for history)
    "publish": (
        Service.Status.ACTIVE,
        {Service.Status.DRAFT, Service.Status.INACTIVE, Service.Status.TEMPORARILY_CLOSED},
        "Published",
    ),
    "close": (Service.Status.TEMPORARILY_CLOSED, {Service.Status.ACTIVE}, "Temporarily closed"),
    "unpublish": (
        Service.Status.INACTIVE,
        {Service.Status.ACTIVE, Service.Status.TEMPORARILY_CLOSED},
        "Unpublished",
    ),
    "archive": (
        Service.Status.ARCHIVED,
        {Service.Status.DRAFT, Service.Status.INACTIVE},
        "Archived",
    ),
}


def publish_problems(service: Service) -> list[tuple[str, str]]:
    """What must be filled in before a service can be published: (section, message)."""
    problems = []
    if not service.description:
        problems.append(("description", "Describe the service"))
    if not service.terms.exists():
        problems.append(("support", "Choose the support it offers"))
    if not service.delivery:
        problems.append(("delivery", "Say how the service is given"))
    if not (service.email or service.phone or service.url):
        problems.append(("contacts", "Give an email address, phone number or website"))
    if Service.Delivery.IN_PERSON in service.delivery and not service.service_at_locations.exists():
        problems.append(("places", "Add the places where it happens, as it is given in person"))
    return problems


def change_status(service: Service, action: str, *, by, seen_version: int, request=None):
    new_status, applies_to, summary = STATUS_ACTIONS[action]
    if service.status not in applies_to:
        raise ValueError(action)
    extra = {}
    if action == "publish" and service.last_reviewed is None:
        extra["last_reviewed"] = timezone.localdate()
    return save_changes(
        service,
        {"status": new_status, **extra},
        by=by,
        seen_version=seen_version,
        summary=summary,
        request=request,
    )


# --- Providers' proposals -----------------------------------------------------------------------


@transaction.atomic
def propose(service: Service, section: str, values: dict, *, by, seen_version: int, request=None):
    proposal = Proposal.objects.create(
        service=service,
        section=section,
        values=values if section == "places" else to_json(values),
        base_version=seen_version,
        proposed_by=by,
    )
    audit.record(request, "service.change_proposed", service, user=by, proposal=str(proposal.pk))
    from directory.notifications import proposal_made

    proposal_made(proposal)
    return proposal


@dataclass
class DiffRow:
    label: str
    now: str
    proposed: str

    @property
    def changed(self) -> bool:
        return self.now != self.proposed


def diff(proposal: Proposal) -> list[DiffRow]:
    if proposal.section == "places":
        return [
            DiffRow(
                LABELS["places"],
                shown(proposal.service, "places"),
                describe_place_change(proposal.values),
            )
        ]
    return [
        DiffRow(LABELS.get(field, field), shown(proposal.service, field), proposed_value(field, v))
        for field, v in proposal.values.items()
    ]


class AlreadyDecided(Exception):
    pass


@transaction.atomic
def decide_proposal(
    proposal: Proposal, *, approve: bool, reason: str, by, seen_version=None, request=None
):
    """Approve (apply over the service as it is) or reject. ``seen_version``: the service's
    version when the approver looked at the diff; a later edit raises EditConflict."""
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.status != Proposal.Status.PENDING:
        raise AlreadyDecided(proposal)
    if approve and proposal.section == "places":
        apply_place_change(
            proposal.service,
            proposal.values,
            by=by,
            seen_version=seen_version,
            request=request,
        )
    elif approve:
        save_changes(
            proposal.service,
            from_json(proposal.values),
            by=by,
            seen_version=seen_version,
            summary=f"Proposed by {proposal.proposed_by}, approved by {by}",
            request=request,
            proposal=proposal,
        )
    proposal.status = Proposal.Status.APPROVED if approve else Proposal.Status.REJECTED
    proposal.decided_by = by
    proposal.decided_at = timezone.now()
    proposal.reason = reason
    proposal.save()
    audit.record(
        request,
        f"service.proposal_{proposal.status}",
        proposal.service,
        user=by,
        proposal=str(proposal.pk),
    )
    from directory.notifications import proposal_decided

    proposal_decided(proposal)
    return proposal


# --- Review cycle -------------------------------------------------------------------------------


def review_due_on(service: Service) -> date | None:
    if service.last_reviewed is None:
        return None
    return service.last_reviewed + relativedelta(months=settings.LISTING_REVIEW_MONTHS)


def due_for_review(services: QuerySet[Service], today: date | None = None) -> dict:
    """Published services whose check is overdue, and those due within DUE_SOON_DAYS."""
    today = today or timezone.localdate()
    overdue_before = today - relativedelta(months=settings.LISTING_REVIEW_MONTHS)
    soon_before = overdue_before + relativedelta(days=settings.LISTING_DUE_SOON_DAYS)
    live = services.published().select_related("organisation").order_by("last_reviewed", "name")
    return {
        "overdue": live.filter(
            Q(last_reviewed__isnull=True) | Q(last_reviewed__lte=overdue_before)
        ),
        "due_soon": live.filter(last_reviewed__gt=overdue_before, last_reviewed__lte=soon_before),
    }


def confirm_still_correct(service: Service, *, by, seen_version: int, request=None) -> Service:
    """Stamp the listing checked, if it is still the version the person checked."""
    return save_changes(
        service,
        {"last_reviewed": timezone.localdate()},
        by=by,
        seen_version=seen_version,
        summary="Checked: still correct",
        request=request,
    )
