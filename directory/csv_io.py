"""CSV export and import of service listings.

Import is two steps: a dry run that checks every row and reports row-level errors, then an
all-or-nothing apply (one transaction). Updates go through editing.save_changes, so they are in
each listing's history like any other edit.
"""

import csv
import io
import uuid
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db import transaction
from django.utils import timezone

from directory.editing import create_draft, save_changes, services_for
from directory.filters import LANGUAGE_NAMES
from directory.models import LifeStage, Organisation, Service, TaxonomyTerm
from earlyhelp import audit

COLUMNS = [
    "id",
    "name",
    "organisation",
    "summary",
    "description",
    "status",
    "how_to_access",
    "is_free",
    "cost_description",
    "minimum_age",
    "maximum_age",
    "send_up_to_25",
    "life_stages",
    "languages",
    "delivery",
    "support",
    "email",
    "phone",
    "url",
    "last_checked",
]
REQUIRED = ["name", "organisation", "summary", "how_to_access"]
LIST_SEPARATOR = ";"
MAX_ROWS = 5000
# Spreadsheet programs run cells starting with these as formulas (CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _safe(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def _unsafe(text: str) -> str:
    return text[1:] if text.startswith("'") and text[1:].startswith(FORMULA_START) else text


def export_rows(services):
    yield COLUMNS
    services = services.select_related("organisation").prefetch_related("terms").order_by("name")
    for s in services.iterator(chunk_size=500):
        yield [
            _safe(v)
            for v in [
                s.pk,
                s.name,
                s.organisation.name,
                s.summary,
                s.description,
                s.status,
                s.how_to_access,
                "yes" if s.is_free else "no",
                s.cost_description,
                s.minimum_age,
                s.maximum_age,
                "yes" if s.send_up_to_25 else "no",
                LIST_SEPARATOR.join(s.life_stages),
                LIST_SEPARATOR.join(s.languages),
                LIST_SEPARATOR.join(s.delivery),
                LIST_SEPARATOR.join(sorted(t.slug for t in s.terms.all())),
                s.email,
                s.phone,
                s.url,
                s.last_reviewed.isoformat() if s.last_reviewed else "",
            ]
        ]


class Echo:
    def write(self, value):
        return value


def csv_lines(rows):
    writer = csv.writer(Echo())
    for row in rows:
        yield writer.writerow(row)


@dataclass
class RowError:
    row: int
    column: str
    message: str


@dataclass
class ImportPlan:
    creates: list[dict] = field(default_factory=list)
    updates: list[tuple[Service, dict]] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    rows: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors and self.rows > 0


def _yes_no(value: str, row: int, column: str, errors: list) -> bool | None:
    v = value.strip().lower()
    if v in ("yes", "y", "true", "1"):
        return True
    if v in ("no", "n", "false", "0", ""):
        return False
    errors.append(RowError(row, column, "Must be yes or no"))
    return None


def _age(value: str, row: int, column: str, errors: list) -> int | None:
    if not value.strip():
        return None
    try:
        age = int(value)
    except ValueError:
        errors.append(RowError(row, column, "Must be a whole number of years, like 5"))
        return None
    if not 0 <= age <= 25:
        errors.append(RowError(row, column, "Must be between 0 and 25"))
        return None
    return age


def _choices(value: str, allowed, row: int, column: str, errors: list) -> list[str]:
    items = [v.strip() for v in value.split(LIST_SEPARATOR) if v.strip()]
    wrong = [v for v in items if v not in allowed]
    if wrong:
        errors.append(
            RowError(row, column, f"Not recognised: {', '.join(wrong)}. Use: {', '.join(allowed)}")
        )
    return [v for v in items if v in allowed]


def plan_import(text: str, user) -> ImportPlan:
    """Check every row; nothing is written."""
    plan = ImportPlan()
    try:
        reader = csv.DictReader(io.StringIO(text))
        header = reader.fieldnames or []
    except csv.Error as error:
        plan.errors.append(RowError(1, "", f"This is not a CSV file we can read: {error}"))
        return plan
    missing = [c for c in ["name", "organisation", "summary"] if c not in header]
    unknown = [c for c in header if c not in COLUMNS]
    if missing or unknown:
        if missing:
            plan.errors.append(RowError(1, ", ".join(missing), "Missing column"))
        if unknown:
            plan.errors.append(RowError(1, ", ".join(unknown), "Unknown column"))
        return plan
    organisations = {o.name.lower(): o for o in Organisation.objects.all()}
    terms = {t.slug: t for t in TaxonomyTerm.objects.all()}
    editable = {str(pk) for pk in services_for(user).values_list("pk", flat=True)}
    may_change = user.has_perm("directory.change_service")
    try:
        rows = list(reader)
    except csv.Error as error:
        plan.errors.append(RowError(reader.line_num, "", f"This row cannot be read: {error}"))
        return plan
    if len(rows) > MAX_ROWS:
        plan.errors.append(RowError(1, "", f"The file has more than {MAX_ROWS:,} rows"))
        return plan
    for number, raw in enumerate(rows, start=2):
        plan.rows += 1
        errors: list[RowError] = []
        row = {k: _unsafe((v or "").strip()) for k, v in raw.items() if k in COLUMNS}
        values: dict = {}
        for column in REQUIRED:
            if column in header and not row.get(column):
                errors.append(RowError(number, column, "Must not be empty"))
        service = None
        if row.get("id"):
            try:
                service_id = str(uuid.UUID(row["id"]))
            except ValueError:
                service_id = None
            if service_id not in editable or not may_change:
                errors.append(RowError(number, "id", "No service you can change has this id"))
            else:
                service = Service.objects.get(pk=service_id)
        if row.get("organisation"):
            organisation = organisations.get(row["organisation"].lower())
            if organisation is None:
                errors.append(RowError(number, "organisation", "No organisation has this name"))
            values["organisation"] = organisation
        for name, limit in (("name", 200), ("summary", 300), ("cost_description", 300)):
            if name in row:
                if len(row[name]) > limit:
                    errors.append(RowError(number, name, f"Must be {limit} characters or fewer"))
                values[name] = row[name]
        if "description" in row:
            values["description"] = row["description"]
        if row.get("status"):
            if row["status"] not in Service.Status.values:
                errors.append(
                    RowError(number, "status", f"Use one of: {', '.join(Service.Status.values)}")
                )
            values["status"] = row["status"]
        if "how_to_access" in row and row["how_to_access"]:
            if row["how_to_access"] not in Service.Access.values:
                errors.append(
                    RowError(
                        number, "how_to_access", f"Use one of: {', '.join(Service.Access.values)}"
                    )
                )
            values["how_to_access"] = row["how_to_access"]
        for name in ("is_free", "send_up_to_25"):
            if name in row:
                values[name] = _yes_no(row[name], number, name, errors)
        for name in ("minimum_age", "maximum_age"):
            if name in row:
                values[name] = _age(row[name], number, name, errors)
        low, high = values.get("minimum_age"), values.get("maximum_age")
        if low is not None and high is not None and low > high:
            errors.append(RowError(number, "maximum_age", "Must not be less than minimum_age"))
        if "life_stages" in row:
            values["life_stages"] = _choices(
                row["life_stages"], LifeStage.values, number, "life_stages", errors
            )
        if "languages" in row:
            values["languages"] = _choices(
                row["languages"], list(LANGUAGE_NAMES), number, "languages", errors
            )
        if "delivery" in row:
            values["delivery"] = _choices(
                row["delivery"], Service.Delivery.values, number, "delivery", errors
            )
        if "support" in row:
            slugs = _choices(row["support"], sorted(terms), number, "support", errors)
            values["terms"] = [terms[s] for s in slugs]
        if row.get("email"):
            try:
                EmailValidator()(row["email"])
            except ValidationError:
                errors.append(
                    RowError(number, "email", "Must be an email address, like team@example.org")
                )
        if row.get("url"):
            try:
                URLValidator(schemes=["http", "https"])(row["url"])
            except ValidationError:
                errors.append(
                    RowError(number, "url", "Must be a website address starting https://")
                )
        for name in ("email", "phone", "url"):
            if name in row:
                values[name] = row[name]
        if row.get("last_checked"):
            try:
                checked = date.fromisoformat(row["last_checked"])
            except ValueError:
                errors.append(RowError(number, "last_checked", "Must be a date like 2026-11-30"))
            else:
                if checked > timezone.localdate():
                    # A date in the future would keep the listing off every review list.
                    errors.append(RowError(number, "last_checked", "Must be today or earlier"))
                elif checked.year < 2000:
                    errors.append(RowError(number, "last_checked", "Must be after 2000"))
                else:
                    values["last_reviewed"] = checked
        publishing = values.get("status") in PUBLISHED and (
            service is None or service.status not in PUBLISHED
        )
        if not errors and publishing:
            errors += _publish_problems(number, values, service)
        if not errors:
            errors += _model_problems(number, values, service)
        if errors:
            plan.errors.extend(errors)
        elif service is not None:
            plan.updates.append((service, values))
        else:
            plan.creates.append(values)
    return plan


PUBLISHED = (Service.Status.ACTIVE, Service.Status.TEMPORARILY_CLOSED)


def _model_problems(number: int, values: dict, service: Service | None) -> list[RowError]:
    """The model's own limits (lengths, formats), checked as the save will check them."""
    import copy

    probe = copy.copy(service) if service is not None else Service(key="probe")
    plain = {f: v for f, v in values.items() if f not in ("terms", "organisation")}
    for name, value in plain.items():
        setattr(probe, name, value)
    checked = set(plain)
    exclude = [f.name for f in Service._meta.concrete_fields if f.name not in checked]
    try:
        probe.clean_fields(exclude=exclude)
    except ValidationError as error:
        return [
            RowError(number, name, "; ".join(str(m) for m in messages))
            for name, messages in error.message_dict.items()
        ]
    return []


def _publish_problems(number: int, values: dict, service: Service | None) -> list[RowError]:
    """A row that publishes a service needs what publishing in the portal needs."""

    def value(field):
        if field in values:
            return values[field]
        if service is None:
            return None
        return list(service.terms.all()) if field == "terms" else getattr(service, field)

    problems = []
    if not value("description"):
        problems.append(("description", "Describe the service"))
    if not value("terms"):
        problems.append(("support", "Give the support it offers"))
    if not value("delivery"):
        problems.append(("delivery", "Say how the service is given"))
    if not any(value(f) for f in ("email", "phone", "url")):
        problems.append(("email", "Give an email address, phone number or website"))
    in_person = Service.Delivery.IN_PERSON in (value("delivery") or [])
    if in_person and (service is None or not service.service_at_locations.exists()):
        problems.append(
            (
                "status",
                "Add its places first: import it as a draft, add places and "
                "times in the portal, then publish",
            )
        )
    return [RowError(number, column, f"To publish: {message}") for column, message in problems]


def apply_import(text: str, user, request=None) -> ImportPlan:
    """Check again and write every row, or nothing (one transaction)."""
    plan = plan_import(text, user)
    if not plan.ok:
        return plan
    try:
        _write(plan, user, request)
    except ValidationError as error:  # rolled back: nothing was imported
        plan.errors.append(RowError(0, "", "; ".join(error.messages)))
    return plan


@transaction.atomic
def _write(plan: ImportPlan, user, request) -> None:
    for values in plan.creates:
        values = dict(values)
        service = create_draft(
            organisation=values.pop("organisation"),
            name=values.pop("name"),
            summary=values.pop("summary"),
            by=user,
            request=request,
        )
        save_changes(service, values, by=user, seen_version=None, summary="Imported from CSV")
    for service, values in plan.updates:
        save_changes(service, values, by=user, seen_version=None, summary="Updated from CSV")
    audit.record(
        request,
        "service.imported",
        None,
        user=user,
        created=len(plan.creates),
        updated=len(plan.updates),
    )
