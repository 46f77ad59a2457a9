"""Reads for the directory pages."""

from collections import OrderedDict

from django.db.models import Q
from django.http import QueryDict
from django.utils.text import slugify
from django.utils.translation import gettext

from directory.models import (
    LIFE_STAGE_AGES,
    LifeStage,
    LifeStageGuide,
    Location,
    Schedule,
    Service,
    Weekday,
)


def selected_filters(form, query: QueryDict) -> list[dict]:
    """Each chosen filter value as a tag with a link that removes just that value."""
    tags = []
    # The distance only matters with a postcode (the form always sends one).
    with_postcode = bool(query.get("postcode", "").strip())
    for name in [
        "category",
        "topic",
        "age",
        "life_stage",
        "day",
        "delivery",
        "language",
        "free",
        "send",
        "within",
    ]:
        if name not in form.fields or name not in query or (name == "within" and not with_postcode):
            continue
        field = form.fields[name]
        choices = _flat_choices(getattr(field, "choices", ()))
        for value in query.getlist(name):
            if value in ("", None):
                continue
            if name in ("free", "send"):
                label = field.label
            elif name == "age":
                # Translators: a selected search filter, the child's age in years.
                label = gettext("Age %(age)s") % {"age": value}
            else:
                label = str(choices.get(value, choices.get(_int(value), value)))
            remaining = query.copy()
            remaining.setlist(name, [v for v in query.getlist(name) if v != value])
            remaining.pop("page", None)
            tags.append(
                {
                    "label": label,
                    "query": remaining.urlencode(),
                    "field": field.label,
                    "is_distance": name == "within",
                }
            )
    return tags


def _flat_choices(choices) -> dict:
    """Choices as a dict, option groups flattened."""
    flat = {}
    for key, label in choices:
        if isinstance(label, list | tuple):
            flat.update(dict(label))
        else:
            flat[key] = label
    return flat


def _int(value: str):
    try:
        return int(value)
    except ValueError:
        return value


def place_programme(place: Location) -> list[tuple[str, list[Schedule]]]:
    """What's on at a place, day by day, for published services only."""
    sessions = (
        Schedule.objects.filter(
            service_at_location__location=place,
            service_at_location__service__in=Service.objects.published(),
        )
        .select_related("service_at_location__service")
        .order_by("weekday", "opens_at", "service_at_location__service__name")
    )
    days: OrderedDict[str, list[Schedule]] = OrderedDict()
    for session in sessions:
        days.setdefault(str(Weekday(session.weekday).label), []).append(session)
    return list(days.items())


def life_stage_page(stage: LifeStage) -> dict:
    low, high = LIFE_STAGE_AGES[stage]
    services = (
        Service.objects.published()
        .filter(
            Q(life_stages__contains=[stage.value])
            | (
                (Q(minimum_age__isnull=True) | Q(minimum_age__lte=high))
                & (Q(maximum_age__isnull=True) | Q(maximum_age__gte=low))
            )
        )
        .select_related("organisation")
        .prefetch_related("terms__parent")
        .order_by("name")
    )
    # Grouped by need (the service's first DfE family hubs category), not one A-Z list.
    groups: dict[tuple[int, str], list] = {}
    for service in services:
        categories = sorted(
            {(t.parent or t).position: (t.parent or t).name for t in service.terms.all()}.items()
        )
        key = categories[0] if categories else (999, "")  # last, named below
        groups.setdefault(key, []).append(service)
    return {
        "stage": stage,
        "guide": LifeStageGuide.objects.filter(stage=stage).first(),
        "services": services,
        "groups": [
            {
                # A DfE taxonomy category's name, in the page's language (taxonomy_messages.py).
                "name": gettext(name) if name else gettext("Other support"),
                # The same anchor in every language (a name in another script slugifies to "").
                "slug": slugify(name) if name else "other-support",
                "services": members,
            }
            for (_, name), members in sorted(groups.items())
        ],
    }
