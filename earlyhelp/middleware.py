import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django_scopes import scope

from hubs import councils

PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "camera",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
        "interest-cohort",
    )
)


class SecurityHeadersMiddleware:
    """Headers Django's SecurityMiddleware does not set.

    Cross-Origin-Resource-Policy keeps other sites from embedding our responses (pages, and the
    static files served by WhiteNoise after this middleware) in theirs.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        # The service needs no camera, microphone, location, payment or other powerful feature.
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response


class StripNulBytesMiddleware:
    """Remove NUL bytes from query strings and form posts before any view sees them.

    PostgreSQL cannot store NUL in text, and a NUL echoed back into a page is invalid HTML, so
    this is cleaned once here rather than in every form.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.GET = _without_nul(request.GET)
        if request.method == "POST" and request.content_type in _FORM_TYPES:
            request.POST = _without_nul(request.POST)
        return self.get_response(request)


_FORM_TYPES = {"application/x-www-form-urlencoded", "multipart/form-data"}


def _without_nul(data: QueryDict) -> QueryDict:
    if not any("\x00" in key or "\x00" in "".join(data.getlist(key)) for key in data):
        return data
    cleaned = QueryDict(mutable=True, encoding=data.encoding)
    for key in data:
        cleaned.setlist(key.replace("\x00", ""), [v.replace("\x00", "") for v in data.getlist(key)])
    cleaned._mutable = False
    return cleaned


class AbsoluteSessionLifetimeMiddleware:
    """Staff are signed out SESSION_ABSOLUTE_HOURS after they signed in, however active they
    have been (the idle timeout alone would let a busy session live for ever)."""

    KEY = "signed_in_at"

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = time.time()
            started = request.session.get(self.KEY)
            if started is None:
                request.session[self.KEY] = now
            elif now - started > settings.SESSION_ABSOLUTE_HOURS * 3600:
                logout(request)
                return redirect_to_login(request.get_full_path())
        return self.get_response(request)


class CouncilMiddleware:
    """Chooses the council from the host name and runs the request inside its scope.

    Staff belong to one council: a session of another council's member of staff (only possible
    where councils share a parent domain's cookies) is signed out here, so its pages are never
    shown on this council's host. The combined Open Referral UK feed's host answers the feed
    for every council and nothing else.
    """

    FEED_PREFIX = "/api/openreferral/"

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        host = request.get_host().rsplit(":", 1)[0].lower()
        if host in settings.COMBINED_FEED_HOSTS:
            if not request.path.startswith(self.FEED_PREFIX):
                raise Http404("The combined feed's host answers only the feed.")
            request.council = councils.default_council()
            request.every_council = True
            with scope(council=councils.every_council_id()):
                return self.get_response(request)
        # None when the database does not answer (or has no councils yet): the pages then say so
        # in the default council's words and read no council's rows.
        council = councils.for_host(host) or councils.unavailable()
        request.council = council
        request.every_council = False
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not councils.belongs_to(user, council):
            logout(request)
        with scope(council=council.pk or councils.NO_COUNCIL):
            return self.get_response(request)
