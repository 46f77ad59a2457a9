"""Keeping left-to-right data whole on right-to-left pages (#16)."""

from django import template
from django.utils.html import format_html
from django.utils.translation import get_language_bidi

register = template.Library()


@register.filter
def ltr(value) -> str:
    """A postcode, phone number, email address or web address, isolated and left to right, so
    a Persian or Arabic sentence around it cannot reorder its parts ("N2 8LG", "020 8359 4066").
    Left-to-right pages need nothing and get the value as it is. Not for a page title, which
    shows no markup."""
    if value in (None, ""):
        return ""
    if not get_language_bidi():
        return value
    return format_html('<bdi dir="ltr">{}</bdi>', value)
