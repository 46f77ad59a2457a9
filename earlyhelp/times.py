"""Times as GOV.UK writes them (the style guide's "Times"): 9am, 1:30pm, midday, midnight."""

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
