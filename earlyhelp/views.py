from django.conf import settings
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from earlyhelp.access import public


@public
@require_safe
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "earlyhelp/home.html")


@public
@require_safe
def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "earlyhelp/accessibility.html")


@public
@require_safe
def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "earlyhelp/privacy.html")


@public
@require_safe
def cookies(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "earlyhelp/cookies.html",
        {
            "session_cookie_name": settings.SESSION_COOKIE_NAME,
            "csrf_cookie_name": settings.CSRF_COOKIE_NAME,
        },
    )


@public
@require_safe
def about_data(request: HttpRequest) -> HttpResponse:
    return render(request, "earlyhelp/about_data.html")


@public
@require_safe
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the database answers a query, 503 when it does not (for load balancers)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "unavailable", "database": "down"}, status=503)
    return JsonResponse({"status": "ok", "database": "up"})
