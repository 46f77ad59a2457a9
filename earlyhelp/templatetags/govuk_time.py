"""Times as GOV.UK writes them (the style guide's "Times"): 9am, 1:30pm, midday, midnight;
the same for parents and staff. Loaded into every template (settings.TEMPLATES builtins)."""

from datetime import datetime

from django import template
from django.template.defaultfilters import date as format_date

from earlyhelp import times

register = template.Library()


clock = register.filter("clock", times.clock, expects_localtime=True)


@register.filter(expects_localtime=True)
def stamp(value: datetime | None, day_format: str = "j F Y") -> str:
    """A date and time: 3 December 2026, 1:30pm."""
    if value in (None, ""):
        return ""
    return f"{format_date(value, day_format)}, {times.clock(value)}"


@register.filter
def hours_lines(text: str) -> list[str]:
    """Opening hours a line a part, GOV.UK style (see earlyhelp.times.opening_hours)."""
    return times.opening_hours(text)
