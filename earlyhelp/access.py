"""Who each view is for, declared on the view so a test can walk every route and check it.

Every view in the URLconf must carry an audience (see tests/test_routes.py). Public views are
open to anyone; staff audiences arrive with staff accounts.
"""

from collections.abc import Callable

PUBLIC = "public"


def public(view: Callable) -> Callable:
    """Mark a view as open to anyone, signed in or not."""
    view.audience = PUBLIC
    return view


def audience_of(view: Callable) -> str | None:
    """The audience a resolved view declared, or None when it declared none."""
    for candidate in (view, getattr(view, "view_class", None), getattr(view, "cls", None)):
        if candidate is not None and getattr(candidate, "audience", None):
            return candidate.audience
    return None
