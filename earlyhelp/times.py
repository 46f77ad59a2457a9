"""Times as GOV.UK writes them (the style guide's "Times"): 9am, 1:30pm, midday, midnight."""

import re
from datetime import datetime, time

from django.utils.dates import WEEKDAYS
from django.utils.text import get_text_list
from django.utils.translation import gettext


def clock(value: time | datetime | None) -> str:
    """10am, 1:30pm, midday, midnight."""
    if value in (None, ""):
        return ""
    if isinstance(value, datetime):
        value = value.time()
    if (value.hour, value.minute) == (12, 0):
        return gettext("midday")
    if (value.hour, value.minute) == (0, 0):
        return gettext("midnight")
    hour = value.hour % 12 or 12
    minutes = f":{value.minute:02d}" if value.minute else ""
    if value.hour < 12:
        # Translators: a time before midday, GOV.UK style: "9am", "10:30am" (time is "9", "10:30").
        return gettext("%(time)sam") % {"time": f"{hour}{minutes}"}
    # Translators: a time after midday, GOV.UK style: "1pm", "5:15pm" (time is "1", "5:15").
    return gettext("%(time)spm") % {"time": f"{hour}{minutes}"}


# Django's own weekday names, already translated.
_DAYS = dict(zip(("mon", "tue", "wed", "thu", "fri", "sat", "sun"), WEEKDAYS.values(), strict=True))
_SPAN = re.compile(r"(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})")
_DAY = r"\b(mon|tue|wed|thu|fri|sat|sun)\b"
_DAY_RANGE = re.compile(rf"{_DAY}(?:\s*-\s*{_DAY})?")


def _days(text: str) -> str:
    """ "Tue-Sat" as "Tuesday to Saturday", "Mon,Fri" as "Monday and Friday"."""
    names = []
    for first, last in _DAY_RANGE.findall(text.lower()):
        if last:
            # Translators: a range of days, like "Tuesday to Saturday".
            day_range = gettext("%(first)s to %(last)s")
            names.append(day_range % {"first": _DAYS[first], "last": _DAYS[last]})
        else:
            names.append(str(_DAYS[first]))
    # Translators: joins the last two items of a list, like "Monday, Friday and Sunday".
    return get_text_list(names, gettext("and")) if names else text


def _span(match: re.Match) -> str:
    start = time(int(match[1]) % 24, int(match[2]))
    end = time(int(match[3]) % 24, int(match[4]))
    # Translators: a range of times, like "9am to 5pm".
    return gettext("%(start)s to %(end)s") % {"start": clock(start), "end": clock(end)}


def opening_hours(text: str) -> list[str]:
    """Opening hours written as the data holds them ("Mon 09:00-20:00; Tue-Sat 09:00-17:00;
    closed Sun") as GOV.UK writes them, a line a part: "Monday: 9am to 8pm", "Tuesday to
    Saturday: 9am to 5pm", "Sunday: closed". A part it cannot read is kept as written, with
    any 24-hour times in it rewritten."""
    lines = []
    parts = re.split(r";\s*(?![^()]*\))", text or "")  # not at a ";" inside brackets
    for part in filter(None, (p.strip() for p in parts)):
        closed = re.fullmatch(r"closed\s+(.+)", part, flags=re.IGNORECASE)
        days = re.match(r"((?:mon|tue|wed|thu|fri|sat|sun)[a-z,\s-]*?)\s+(?=\d)", part, re.I)
        if closed and _DAY_RANGE.search(closed[1].lower()):
            # Translators: the days a place is closed, like "Sunday: closed".
            lines.append(gettext("%(days)s: closed") % {"days": _days(closed[1])})
        elif days:
            hours = _SPAN.sub(_span, part[days.end() :])
            # Translators: replaces "closed" before a break in the day's hours, so that
            # "(closed 1pm to 2pm)" reads "(closed from 1pm to 2pm)".
            hours = hours.replace("(closed", "(" + gettext("closed from"))
            # Translators: the days and the hours a place is open, like "Monday: 9am to 8pm".
            lines.append(gettext("%(days)s: %(hours)s") % {"days": _days(days[1]), "hours": hours})
        else:
            lines.append(_SPAN.sub(_span, part))
    return lines
