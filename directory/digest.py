"""The weekly digest: each hub manager hears how many of their listings need a check."""

from django.contrib.auth import get_user_model
from django.db.models import Q

from directory import editing
from directory.courses import feedback_for
from directory.models import Proposal
from directory.notifications import review_digest


def keepers():
    """Active staff who keep listings (hub managers and administrators)."""
    User = get_user_model()  # noqa: N806
    perm = Q(groups__permissions__codename="change_service") | Q(
        user_permissions__codename="change_service"
    )
    return User.objects.of_council().filter(perm, is_active=True).distinct()


def send_digests() -> int:
    """Email each keeper who has something to do; returns how many were emailed."""
    sent = 0
    for user in keepers():
        due = editing.due_for_review(editing.services_for(user))
        counts = {
            "overdue": due["overdue"].count(),
            "due_soon": due["due_soon"].count(),
            "feedback": feedback_for(user).filter(resolved_at=None).count(),
            "proposals": editing.proposals_for(user).filter(status=Proposal.Status.PENDING).count(),
        }
        if any(counts.values()):
            review_digest(user, **counts)
            sent += 1
    return sent
