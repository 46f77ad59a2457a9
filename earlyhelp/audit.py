"""The one way to write the audit trail of case data."""

import hashlib
import hmac
import ipaddress

from django.conf import settings
from django.db import models
from django.http import HttpRequest

from earlyhelp.models import AuditEvent


def _trusted(address: str, networks) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


def client_ip(request: HttpRequest | None) -> str | None:
    """The address the request came from: the one place rate limits, sign-in lockouts
    (django-axes, through AXES_CLIENT_IP_CALLABLE) and the audit trail read it.

    X-Forwarded-For is read only when the connection itself comes from a proxy in
    TRUSTED_PROXIES; anyone else could write that header. Then the client is the right-most
    address in it that is not one of our proxies (the left part of the header is the client's
    to write, so it is never believed). gunicorn's --forwarded-allow-ips does not change
    REMOTE_ADDR, so without this every client would look like the proxy.
    """
    if request is None:
        return None
    remote = request.META.get("REMOTE_ADDR") or None
    networks = [ipaddress.ip_network(cidr) for cidr in settings.TRUSTED_PROXIES]
    if not remote or not networks or not _trusted(remote, networks):
        return remote
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    for hop in reversed([hop for hop in hops if hop]):
        try:
            address = str(ipaddress.ip_address(hop))
        except ValueError:
            return remote  # a malformed header: count the proxy rather than guess
        if not _trusted(address, networks):
            return address
    return remote


def sender_hash(ip_address: str | None) -> str:
    """A keyed hash of a network address: enough to count, not enough to recover it."""
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, (ip_address or "unknown").encode(), hashlib.sha256).hexdigest()


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
