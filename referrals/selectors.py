"""Reads of assessments and front door items, always scoped to the user inside the query.

Each get_*_for() fetches and authorises in one step: 404 when the user has no relationship to
the record (we do not confirm it exists), 403 when they may read it but not do what they asked.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from accounts.models import User
from hubs.models import Hub
from referrals.models import Assessment, SupportRequest


def hubs_triaged_by(user: User) -> QuerySet[Hub]:
    if user.has_perm("referrals.view_every_supportrequest"):
        return Hub.objects.all()
    if user.has_perm("referrals.triage_supportrequest"):
        return Hub.objects.filter(managers=user)
    return Hub.objects.none()


def support_requests_for(user: User) -> QuerySet[SupportRequest]:
    """Front door items this user may see: their hubs' (managers), every one (administrators),
    the ones they sent, and the ones they lead."""
    scope = Q(submitted_by=user) | Q(episode__lead_practitioner=user)
    if user.has_perm("referrals.view_every_supportrequest"):
        scope = Q()
    elif user.has_perm("referrals.triage_supportrequest"):
        scope |= Q(hub__managers=user)
    return SupportRequest.objects.filter(scope).distinct()


def triage_queue_for(user: User, hub: Hub | None) -> QuerySet[SupportRequest]:
    """A hub's queue (hub=None: the unrouted items), only if the user triages for it."""
    if hub is None:
        if not user.has_perm("referrals.view_every_supportrequest"):
            return SupportRequest.objects.none()
        return SupportRequest.objects.filter(hub=None)
    return SupportRequest.objects.filter(hub=hub, hub__in=hubs_triaged_by(user))


def get_support_request_for(user: User, pk, *, triage: bool = False) -> SupportRequest:
    """A front door item the user may see; with triage=True, one they may decide."""
    queryset = support_requests_for(user).select_related(
        "hub", "submitted_by", "previous_episode__hub"
    )
    support_request = queryset.filter(pk=pk).first()
    if support_request is None:
        raise Http404("No such request")
    if triage and not (
        user.has_perm("referrals.view_every_supportrequest")
        or (
            user.has_perm("referrals.triage_supportrequest")
            and support_request.hub is not None
            and support_request.hub.managers.filter(pk=user.pk).exists()
        )
    ):
        raise PermissionDenied
    return support_request


def assessments_for(user: User) -> QuerySet[Assessment]:
    """The author's own (drafts too) and sent assessments whose front door item they may see."""
    return Assessment.objects.filter(
        Q(author=user) | Q(support_request__in=support_requests_for(user).values("pk"))
    )


def get_assessment_for(user: User, pk, *, write: bool = False) -> Assessment:
    assessment = (
        assessments_for(user)
        .select_related("family", "support_request__hub", "author")
        .filter(pk=pk)
        .first()
    )
    if assessment is None:
        raise Http404("No such assessment")
    if write and (assessment.author_id != user.pk or not assessment.is_editable):
        raise PermissionDenied
    return assessment
