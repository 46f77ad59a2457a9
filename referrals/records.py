"""The lasting family record: children and households over time, matching, merging, the child's
timeline and re-referrals.

Each contact records its children as Person rows (what was said then). Matching proposes the
lasting Child records that person may be; a hub manager links one or confirms a new child. A
record is created without asking only when nothing resembles it, and linked without asking only
when nothing differs and the UPN, the NHS number or the postcode agrees too.
"""

import unicodedata
from dataclasses import dataclass, field
from datetime import date

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import BooleanField, Exists, F, FloatField, Func, OuterRef, Q, QuerySet, Value
from django.http import Http404
from django.utils import timezone

from earlyhelp import audit
from referrals.identifiers import format_nhs_number
from referrals.models import (
    Child,
    ChildMerge,
    Episode,
    EpisodeEvent,
    Family,
    Household,
    Person,
    SupportRequest,
    TeamMember,
)

# Trigram similarity of unaccented full names: with the same date of birth, this much makes a
# record a candidate; with another date of birth it takes VERY_SIMILAR (a sibling who shares a
# surname and a birthday month is not proposed, a mistyped date of birth with the name is).
NAME_SIMILARITY = 0.45
VERY_SIMILAR = 0.6
# A first name this similar, at the same postcode, is proposed too (a surname may change).
FIRST_NAME_SIMILARITY = 0.5
MAX_CANDIDATES = 8
YOUNG = [Person.Role.CHILD, Person.Role.UNBORN]


def _next(sequence: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(%s)", [sequence])
        return cursor.fetchone()[0]


def new_household(*, postcode: str = "", is_sample: bool = False) -> Household:
    return Household.objects.create(
        number=_next("referrals_household_seq"), postcode=postcode, is_sample=is_sample
    )


class NameKey(Func):
    """referrals_name_key(first, last): the unaccented lower-case full name (index-backed)."""

    function = "referrals_name_key"


class Trigram(Func):
    """``a % b``: trigram-similar under pg_trgm.similarity_threshold, answered by the GIN index."""

    template = "(%(expressions)s)"
    arg_joiner = " %% "
    output_field = BooleanField()


class Similarity(Func):
    function = "similarity"
    output_field = FloatField()


# --- Matching -----------------------------------------------------------------------------------


@dataclass
class Match:
    """A record that may be the same child, why it was proposed, and where the two differ."""

    child: Child
    score: float
    reasons: list[str] = field(default_factory=list)
    differences: list[tuple[str, str, str]] = field(default_factory=list)  # (what, this, that)

    @property
    def is_exact(self) -> bool:
        return not self.differences


@dataclass(frozen=True)
class Details:
    """What a contact says about a child, as matching compares it."""

    first_name: str
    last_name: str
    date_of_birth: date | None = None
    postcode: str = ""
    upn: str = ""
    nhs_number: str = ""

    @classmethod
    def of(cls, person: Person) -> "Details":
        return cls(
            first_name=person.first_name,
            last_name=person.last_name,
            date_of_birth=person.date_of_birth or person.expected_due_date,
            postcode=person.family.postcode if person.family_id else "",
            upn=person.upn,
            nhs_number=person.nhs_number,
        )


def _when(day: date | None) -> str:
    return f"{day:%-d %B %Y}" if day else "not recorded"


def _differences(details: Details, child: Child) -> list[tuple[str, str, str]]:
    def fold(text: str) -> str:
        decomposed = unicodedata.normalize("NFKD", (text or "").strip().lower())
        return "".join(c for c in decomposed if not unicodedata.combining(c))

    rows = []
    if fold(details.first_name) != fold(child.first_name):
        rows.append(("First name", details.first_name, child.first_name))
    if fold(details.last_name) != fold(child.last_name):
        rows.append(("Last name", details.last_name, child.last_name))
    theirs = child.date_of_birth or child.expected_due_date
    if details.date_of_birth != theirs:
        rows.append(("Date of birth", _when(details.date_of_birth), _when(theirs)))
    if details.postcode and child.postcode and details.postcode != child.postcode:
        rows.append(("Postcode", details.postcode, child.postcode))
    if details.upn and child.upn and details.upn != child.upn:
        rows.append(("UPN", details.upn, child.upn))
    if details.nhs_number and child.nhs_number and details.nhs_number != child.nhs_number:
        rows.append(
            (
                "NHS number",
                format_nhs_number(details.nhs_number),
                format_nhs_number(child.nhs_number),
            )
        )
    return rows


def find_matches(details: Details, *, exclude: Child | None = None) -> list[Match]:
    """Records that may be this child, best first.

    One query: the trigram index on the unaccented full name, the date-of-birth and postcode
    indexes and the identifiers' unique indexes, OR-ed, so PostgreSQL combines index scans.
    """
    key = NameKey(Value(details.first_name.strip()), Value(details.last_name.strip()))
    name_key = NameKey(F("first_name"), F("last_name"))
    near = Q(Trigram(name_key, key))
    if details.date_of_birth:
        near |= Q(date_of_birth=details.date_of_birth) | Q(expected_due_date=details.date_of_birth)
    if details.postcode:
        near |= Q(postcode=details.postcode)
    if details.upn:
        near |= Q(upn=details.upn)
    if details.nhs_number:
        near |= Q(nhs_number=details.nhs_number)
    current = Child.objects.current()
    if exclude is not None:
        current = current.exclude(pk=exclude.pk)
    candidates = (
        current.filter(near)
        .annotate(
            name_score=Similarity(name_key, key),
            first_score=Similarity(
                Func(F("first_name"), function="lower"),
                Value(details.first_name.strip().lower()),
            ),
        )
        .order_by("-name_score")[:200]
    )
    matches = []
    for child in candidates:
        reasons, score = [], child.name_score
        same_id = (details.upn and details.upn == child.upn) or (
            details.nhs_number and details.nhs_number == child.nhs_number
        )
        same_born = details.date_of_birth is not None and details.date_of_birth in (
            child.date_of_birth,
            child.expected_due_date,
        )
        if same_id:
            reasons.append("Same UPN or NHS number")
            score += 2
        similar_first = child.first_score >= FIRST_NAME_SIMILARITY
        if same_born and (similar_first or child.name_score >= NAME_SIMILARITY):
            reasons.append("Same date of birth and a similar name")
            score += 1
        elif child.name_score >= VERY_SIMILAR:
            reasons.append("A very similar name, with another date of birth")
        if same_born and similar_first and details.postcode and details.postcode == child.postcode:
            # A surname may change (a new partner, a name chosen by the young person).
            reasons.append("Same postcode, date of birth and a similar first name")
            score += 0.5
        if reasons:
            matches.append(Match(child, score, reasons, _differences(details, child)))
    matches.sort(key=lambda m: (-m.score, m.child.number))
    return matches[:MAX_CANDIDATES]


def auto_link(match: Match, details: Details) -> bool:
    """Links without a person deciding only when nothing differs and something is certain: the
    same UPN or NHS number, or the same name, date of birth and postcode. Anything less (a
    typo, a new surname, the same name with another date of birth) waits for a hub manager."""
    if match.differences or details.date_of_birth is None:
        return False
    same_id = (details.upn and details.upn == match.child.upn) or (
        details.nhs_number and details.nhs_number == match.child.nhs_number
    )
    same_place = bool(details.postcode) and details.postcode == match.child.postcode
    return bool(same_id or same_place)


# --- Linking ------------------------------------------------------------------------------------


def _copy_latest(child: Child, person: Person) -> None:
    """The record keeps the latest known details of the child."""
    child.first_name, child.last_name = person.first_name, person.last_name
    child.date_of_birth = person.date_of_birth or child.date_of_birth
    child.expected_due_date = person.expected_due_date
    if person.family_id and person.family.postcode:
        child.postcode = person.family.postcode
    for name in ("upn", "nhs_number", "sex", "send"):
        if value := getattr(person, name):
            setattr(child, name, value)
    if person.ethnicity_code:
        child.ethnicity = person.ethnicity_code


def _household_for(family: Family, child: Child | None, *, is_sample=False) -> Household:
    if family.household_id:
        return family.household
    household = child.household if child is not None else None
    if household is None:
        household = new_household(postcode=family.postcode, is_sample=is_sample)
    Family.objects.filter(pk=family.pk).update(household=household)
    family.household = household
    SupportRequest.objects.filter(family=family, household=None).update(household=household)
    Episode.objects.filter(family=family, household=None).update(household=household)
    return household


def _save(child: Child) -> None:
    """Save, turning a UPN or NHS number another current record holds into a plain message."""
    try:
        with transaction.atomic():
            child.save()
    except IntegrityError as error:
        raise ValidationError(
            "Another child's record has this UPN or NHS number. Link to that record, or merge "
            "the two records instead."
        ) from error


def _link(person: Person, child: Child) -> None:
    if person.child_id and person.child_id != child.pk:
        raise ValidationError("This person is already linked to another record")
    _copy_latest(child, person)
    _save(child)
    Person.objects.filter(pk=person.pk).update(child=child)
    person.child = child
    household = _household_for(person.family, child)
    if household.postcode != person.family.postcode and person.family.postcode:
        Household.objects.filter(pk=household.pk).update(postcode=person.family.postcode)
    _refresh_re_referrals(person.family)


def _new_child(person: Person, *, is_sample=False) -> Child:
    household = _household_for(person.family, None, is_sample=is_sample)
    child = Child(
        number=_next("referrals_child_seq"),
        household=household,
        first_name=person.first_name,
        last_name=person.last_name,
        is_sample=is_sample,
    )
    _copy_latest(child, person)
    _save(child)
    Person.objects.filter(pk=person.pk).update(child=child)
    person.child = child
    _refresh_re_referrals(person.family)
    return child


def match_family(family: Family | None, *, request=None, by=None) -> list[Person]:
    """Run matching for a contact's children when it arrives: link where certain (see
    ``auto_link``), make a new record where nothing resembles the child, and leave the rest for
    a hub manager. Returns the children still waiting for someone to decide."""
    if family is None:
        return []
    waiting = []
    for person in family.people.filter(role__in=YOUNG, child=None).select_related("family"):
        details = Details.of(person)
        matches = find_matches(details)
        certain = next((m for m in matches if auto_link(m, details)), None)
        if not matches:
            child = _new_child(person)
            audit.record(request, "child.created", child, user=by, automatic=True)
        elif certain is not None:
            _link(person, certain.child)
            audit.record(request, "child.linked", certain.child, user=by, automatic=True)
        else:
            waiting.append(person)
    return waiting


@transaction.atomic
def link(person: Person, child: Child, *, by, request=None) -> Child:
    """A hub manager says this contact's child is this record."""
    child = Child.objects.select_for_update().get(pk=child.pk, merged_into=None)
    _link(person, child)
    audit.record(request, "child.linked", child, user=by, person=str(person.pk))
    return child


@transaction.atomic
def confirm_new(person: Person, *, by, request=None) -> Child:
    """A hub manager says none of the proposed records is this child."""
    if person.child_id:
        raise ValidationError("This child is already linked to a record")
    child = _new_child(person)
    audit.record(request, "child.created", child, user=by, person=str(person.pk))
    return child


def waiting_children(family: Family | None) -> list[Person]:
    if family is None:
        return []
    return list(family.people.filter(role__in=YOUNG, child=None).select_related("family"))


# --- Merging ------------------------------------------------------------------------------------


@transaction.atomic
def merge(*, kept: Child, merged: Child, reason: str, by, request=None) -> ChildMerge:
    """Two records are one child: move the merged record's people to the kept one. Undoable."""
    if kept.pk == merged.pk:
        raise ValidationError("Choose a different record to merge")
    kept, merged = (
        Child.objects.select_for_update().get(pk=kept.pk, merged_into=None),
        Child.objects.select_for_update().get(pk=merged.pk, merged_into=None),
    )
    moved = list(merged.records.values_list("pk", flat=True))
    merged.records.update(child=kept)
    identifiers = {name: getattr(merged, name) for name in ("upn", "nhs_number")}
    merged.merged_into = kept
    merged.save(update_fields=["merged_into"])
    for name, value in identifiers.items():
        if value and not getattr(kept, name):
            setattr(kept, name, value)
    kept.save()
    record = ChildMerge.objects.create(
        kept=kept, merged=merged, moved_people=moved, reason=reason, merged_by=by
    )
    audit.record(request, "child.merged", kept, user=by, merged=str(merged.pk))
    audit.record(request, "child.merged_away", merged, user=by, into=str(kept.pk))
    for family in Family.objects.filter(people__pk__in=moved).distinct():
        _refresh_re_referrals(family)
    return record


@transaction.atomic
def unmerge(record: ChildMerge, *, by, request=None) -> Child:
    """Undo a merge: the people go back to the record they came from."""
    record = ChildMerge.objects.select_for_update().get(pk=record.pk)
    if record.undone_at is not None:
        raise ValidationError("This merge has already been undone")
    Person.objects.filter(pk__in=record.moved_people).update(child=record.merged_id)
    kept = Child.objects.select_for_update().get(pk=record.kept_id)
    restored = Child.objects.get(pk=record.merged_id)
    for name in ("upn", "nhs_number"):  # an identifier the merge copied goes back with its record
        if getattr(restored, name) and getattr(kept, name) == getattr(restored, name):
            setattr(kept, name, "")
    kept.save(update_fields=["upn", "nhs_number"])
    Child.objects.filter(pk=record.merged_id).update(merged_into=None)
    record.undone_by, record.undone_at = by, timezone.now()
    record.save(update_fields=["undone_by", "undone_at"])
    audit.record(request, "child.unmerged", record.kept, user=by, restored=str(record.merged_id))
    for family in Family.objects.filter(people__pk__in=record.moved_people).distinct():
        _refresh_re_referrals(family)
    return record.merged


# --- Re-referrals -------------------------------------------------------------------------------


def previous_episode_for_contact(contact: SupportRequest) -> Episode | None:
    """An episode for any of this contact's children, closed within RE_REFERRAL_MONTHS before
    the contact arrived: the contact is a re-referral. Matched on the child ID, for every route."""
    if contact.family_id is None:
        return None
    children = Person.objects.filter(family_id=contact.family_id, child__isnull=False).values(
        "child"
    )
    since = contact.received_at - relativedelta(months=settings.RE_REFERRAL_MONTHS)
    episode_children = Person.objects.filter(family=OuterRef("family"), child__in=children).values(
        "pk"
    )
    return (
        Episode.objects.filter(
            Exists(episode_children),
            status=Episode.Status.CLOSED,
            closed_at__gte=since,
            closed_at__lte=contact.received_at,
        )
        .exclude(support_request=contact)
        .order_by("-closed_at")
        .first()
    )


def _refresh_re_referrals(family: Family) -> None:
    """Links, merges and undos change who a contact's children are, and so its re-referral."""
    for contact in SupportRequest.objects.filter(family=family):
        previous = previous_episode_for_contact(contact)
        if contact.previous_episode_id != (previous.pk if previous else None):
            SupportRequest.objects.filter(pk=contact.pk).update(previous_episode=previous)


# --- Who sees a child's record ------------------------------------------------------------------


def children_for(user) -> QuerySet[Child]:
    """Records this person may open: administrators all; a hub manager those with a contact or
    episode at their hubs; a practitioner those in an open episode they lead or are in.
    Decided in the query. "Tell it once" for anyone else stays as narrow as it was."""
    children = Child.objects.current()
    if user.has_perm("referrals.view_every_episode"):
        return children
    open_episodes = Episode.objects.filter(
        Q(lead_practitioner=user)
        | Q(pk__in=TeamMember.objects.filter(user=user, removed_at=None).values("episode")),
        status__in=[Episode.Status.FORMING, Episode.Status.ACTIVE],
    ).values("family")
    scope = Q(records__family__in=open_episodes)
    if user.has_perm("referrals.triage_supportrequest"):
        scope |= Q(records__family__contacts__hub__managers=user) | Q(
            records__family__episodes__hub__managers=user
        )
    return children.filter(pk__in=Child.objects.filter(scope).values("pk"))


def get_child_for(user, pk, *, request=None, manage=False) -> Child:
    """A child's record if this person may see it (else 404); with ``manage``, only for hub
    managers and administrators (else 403). The view is audited after those checks."""
    child = children_for(user).select_related("household").filter(pk=pk).first()
    if child is None:
        raise Http404
    if manage and not user.has_perm("referrals.merge_child"):
        raise PermissionDenied
    audit.record(request, "child.viewed", child, user=user)
    return child


@dataclass
class TimelineEntry:
    at: object
    kind: str
    summary: str
    contact: SupportRequest | None = None
    episode: Episode | None = None


def history(child: Child) -> dict:
    """Every contact and episode for this child, across households and years, newest first."""
    families = Person.objects.filter(child=child).values("family")
    contacts = list(
        SupportRequest.objects.filter(family__in=families)
        .select_related("hub", "previous_episode")
        .order_by("-received_at")
    )
    episodes = list(
        Episode.objects.filter(family__in=families)
        .select_related("hub", "lead_practitioner", "support_request")
        .order_by("-opened_at")
    )
    events = EpisodeEvent.objects.filter(episode__in=episodes).select_related("episode", "actor")
    timeline = [
        TimelineEntry(
            c.received_at,
            "contact",
            f"{c.get_kind_display()} ({c.reference})"
            + (f" from {c.get_source_display().lower()}" if c.source else "")
            + (" — re-referral" if c.previous_episode_id else ""),
            contact=c,
        )
        for c in contacts
    ]
    timeline += [
        TimelineEntry(e.at, e.kind, e.summary, episode=e.episode) for e in events.order_by("-at")
    ]
    timeline.sort(key=lambda entry: entry.at, reverse=True)
    merges = ChildMerge.objects.filter(Q(kept=child) | Q(merged=child)).select_related(
        "merged", "kept", "merged_by"
    )
    return {
        "contacts": contacts,
        "episodes": episodes,
        "timeline": timeline,
        "merges": list(merges),
    }
