from django import template

from directory.filters import METRES_PER_MILE

register = template.Library()


@register.filter
def miles(metres: float | None) -> str:
    """A distance in metres as miles for people: "0.4", "2.5"."""
    if metres is None:
        return ""
    return f"{metres / METRES_PER_MILE:.1f}"
