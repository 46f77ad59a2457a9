"""Times as GOV.UK writes them (the style guide's "Times"): 9am, 1:30pm, midday, midnight."""

import re
from datetime import datetime, time


def clock(value: time | datetime | None) -> str:
    """10am, 1:30pm, midday, midnight."""
    if value in (None, ""):
        return ""
    if isinstance(value, datetime):
        value = value.time()
    if (value.hour, value.minute) == (12, 0):
        return "midday"
    if (value.hour, value.minute) == (0, 0):
        return "midnight"
    hour = value.hour % 12 or 12
    minutes = f":{value.minute:02d}" if value.minute else ""
    return f"{hour}{minutes}{'am' if value.hour < 12 else 'pm'}"


_DAYS = {
    "mon": "Monday",
    "tue": "Tuesday",
    "wed": "Wednesday",
    "thu": "Thursday",
    "fri": "Friday",
    "sat": "Saturday",
    "sun": "Sunday",
}
_SPAN = re.compile(r"(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})")
_DAY = r"\b(mon|tue|wed|thu|fri|sat|sun)\b"
_DAY_RANGE = re.compile(rf"{_DAY}(?:\s*-\s*{_DAY})?")


def _days(text: str) -> str:
    """ "Tue-Sat" as "Tuesday to Saturday", "Mon,Fri" as "Monday and Friday"."""
    names = [
        f"{_DAYS[first]} to {_DAYS[last]}" if last else _DAYS[first]
        for first, last in _DAY_RANGE.findall(text.lower())
    ]
    if len(names) > 1:
        return ", ".join(names[:-1]) + " and " + names[-1]
    return names[0] if names else text


def _span(match: re.Match) -> str:
    start = time(int(match[1]) % 24, int(match[2]))
    end = time(int(match[3]) % 24, int(match[4]))
    return f"{clock(start)} to {clock(end)}"


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
            lines.append(f"{_days(closed[1])}: closed")
        elif days:
            hours = _SPAN.sub(_span, part[days.end() :]).replace("(closed", "(closed from")
            lines.append(f"{_days(days[1])}: {hours}")
        else:
            lines.append(_SPAN.sub(_span, part))
    return lines
