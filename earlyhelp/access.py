"""Who each view is for, declared on the view so the route walk test can check every route.

Every view in the URLconf (admin aside) must carry an audience; tests/test_routes.py fails for a
route that declares none and checks that each audience is enforced:

- ``@public``: anyone, signed in or not. ``params`` names the query parameters it reads and
  ``form`` the form it accepts, for the hostile-input test.
- ``@staff``: any signed-in member of staff; anonymous people are sent to sign in, and staff
  who have given their password but not yet their two-factor code are sent to give it.
- ``@permission("app.codename")``: signed-in staff holding that permission (a role gives it);
  others get 403.
- ``@signing_in``: the two-factor step itself: for someone who has given their password.

Record-level access (whose assessment, which hub) is decided inside the query by the view's
selector (referrals/selectors.py), on top of the audience.

Every non-public response is marked ``Cache-Control: no-store`` so no browser or proxy keeps a
copy of a page that may hold personal data.
"""

from collections.abc import Callable, Sequence
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.cache import add_never_cache_headers, patch_cache_control

PUBLIC = "public"
STAFF = "staff"
PERMISSION = "permission"
SIGNING_IN = "signing_in"

View = Callable[..., HttpResponse]


def public(view: View | None = None, *, params: Sequence[str] = (), form: type | None = None):
    """Mark a view as open to anyone. Usable bare (``@public``) or with arguments."""

    def mark(view: View) -> View:
        view.audience = PUBLIC
        view.query_params = tuple(params)
        view.form_class = form
        return view

    return mark(view) if view is not None else mark


def _not_signed_in(request: HttpRequest) -> HttpResponse | None:
    """Where to send someone who is not fully signed in (password and two-factor code)."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not request.user.is_verified():
        return redirect_to_login(request.get_full_path(), reverse("accounts:two_factor"))
    return None


def signing_in(view: View) -> View:
    """Someone who has given their password; anyone else is sent to the sign-in page."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return _no_store(view(request, *args, **kwargs))

    wrapped.audience = SIGNING_IN
    return wrapped


def staff(view: View) -> View:
    """Signed-in staff only."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if (redirect := _not_signed_in(request)) is not None:
            return redirect
        return _no_store(view(request, *args, **kwargs))

    wrapped.audience = STAFF
    return wrapped


def permission(perm: str) -> Callable[[View], View]:
    """Signed-in staff holding ``perm`` ("app_label.codename"); 403 for other staff."""

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if (redirect := _not_signed_in(request)) is not None:
                return redirect
            if not request.user.has_perm(perm):
                raise PermissionDenied
            return _no_store(view(request, *args, **kwargs))

        wrapped.audience = PERMISSION
        wrapped.permission = perm
        return wrapped

    return decorate


def _no_store(response: HttpResponse) -> HttpResponse:
    add_never_cache_headers(response)
    patch_cache_control(response, no_store=True, private=True)
    return response


def audience_of(view: Callable) -> str | None:
    """The audience a resolved view declared (function or class-based), or None."""
    for candidate in (view, getattr(view, "view_class", None), getattr(view, "cls", None)):
        if candidate is not None and getattr(candidate, "audience", None):
            return candidate.audience
    return None


def posted(request: HttpRequest):
    """The form data of a POST (even an empty one, which must still be validated), else None."""
    return request.POST if request.method == "POST" else None
