"""The one way to write the audit trail of case data."""

from django.db import models
from django.http import HttpRequest

from earlyhelp.models import AuditEvent


def client_ip(request: HttpRequest | None) -> str | None:
    """The address the request came from, as the web server saw it.

    Behind a TLS proxy, the proxy must set REMOTE_ADDR (gunicorn's --forwarded-allow-ips does);
    X-Forwarded-For is not trusted here because anyone can send it.
    """
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def record(
    request: HttpRequest | None,
    action: str,
    obj: models.Model | None,
    *,
    user=None,
    **detail,
) -> AuditEvent:
    """Record that ``user`` (default: the request's user) did ``action`` to ``obj``.

    ``action`` is "<record>.<verb>", like "assessment.viewed" or "request.decided"; ``obj`` is
    None for an action on no one record (a search that found nothing). ``detail`` holds what
    changed (field names, a decision kind), never a family's personal details.
    """
    if user is None and request is not None and request.user.is_authenticated:
        user = request.user
    return AuditEvent.objects.create(
        actor=user if user is not None and user.is_authenticated else None,
        action=action,
        record_type=obj._meta.model_name if obj is not None else "",
        record_id=str(obj.pk) if obj is not None else "",
        ip_address=client_ip(request),
        detail=detail,
    )


def record_many(request: HttpRequest, action: str, objs, **detail) -> None:
    """Record one event per object in one query (a list page showing several records)."""
    user = request.user if request.user.is_authenticated else None
    AuditEvent.objects.bulk_create(
        AuditEvent(
            actor=user,
            action=action,
            record_type=obj._meta.model_name,
            record_id=str(obj.pk),
            ip_address=client_ip(request),
            detail=detail,
        )
        for obj in objs
    )
