"""Email notifications, sent by the task worker (`manage.py db_worker`) after the change commits.

Subjects and bodies carry a reference and a link, never a family's details: email leaves our
control, and the person signs in to see the rest.
"""

from earlyhelp.email import link, notify, send_email  # noqa: F401 (send_email: for callers)
from hubs import councils


def new_item_for_hub(support_request) -> None:
    hub = support_request.hub
    if hub is None:
        from accounts.models import User

        to = User.objects.with_perm(
            "referrals.view_every_supportrequest",
            backend="django.contrib.auth.backends.ModelBackend",
        )
        to = to.filter(council_id=councils.current_council_id()).values_list("email", flat=True)
        queue = link("referrals:unrouted")
    else:
        to = hub.managers.filter(is_active=True).values_list("email", flat=True)
        queue = link("referrals:queue", hub.slug)
    notify(
        to=list(to),
        subject=f"New at the front door: {support_request.reference}",
        template="referrals/email/new_item.txt",
        context={
            "reference": support_request.reference,
            "kind": support_request.get_kind_display(),
            "hub": hub.name if hub else None,
            "routing": support_request.get_routing_display(),
            "due": support_request.decision_due.isoformat(),
            "url": link("referrals:triage", support_request.pk) if hub else queue,
        },
    )


def assessment_sent(support_request) -> None:
    notify(
        to=[support_request.submitted_by.email],
        subject=f"Early help assessment sent: {support_request.reference}",
        template="referrals/email/assessment_sent.txt",
        context={
            "reference": support_request.reference,
            "hub": support_request.hub.name if support_request.hub else None,
            "due": support_request.decision_due.isoformat(),
            "url": link("referrals:my_assessments"),
        },
    )


def decision_made(decision) -> None:
    support_request = decision.support_request
    context = {
        "reference": support_request.reference,
        "decision": decision.get_kind_display(),
        "url": link("referrals:my_assessments"),
    }
    if support_request.submitted_by_id:
        notify(
            to=[support_request.submitted_by.email],
            subject=f"Decision on {support_request.reference}",
            template="referrals/email/decision.txt",
            context=context,
        )
    if decision.kind == decision.Kind.ALLOCATE:
        notify(
            to=[decision.lead_practitioner.email],
            subject=f"You are the lead practitioner for {support_request.reference}",
            template="referrals/email/allocated.txt",
            context={**context, "url": link("referrals:episode", support_request.episode.pk)},
        )
    if decision.kind == decision.Kind.TRANSFER:
        new_item_for_hub(support_request)


# --- Team Around the Family ---------------------------------------------------------------------


def episode_allocated(episode) -> None:
    notify(
        to=[episode.lead_practitioner.email],
        subject=f"You are the lead practitioner for {episode.reference}",
        template="referrals/email/episode_lead.txt",
        context={"reference": episode.reference, "url": link("referrals:episode", episode.pk)},
    )


def added_to_team(member) -> None:
    if member.user.awaiting_approval:
        return  # no account to use yet: their invitation, once approved, is what they get
    episode = member.episode
    notify(
        to=[member.user.email],
        subject=f"You have joined the team around a family ({episode.reference})",
        template="referrals/email/added_to_team.txt",
        context={
            "reference": episode.reference,
            "lead": str(episode.lead_practitioner),
            "url": link("referrals:episode", episode.pk),
        },
    )


def connection_sent(connection) -> None:
    from directory.notifications import provider_users_of

    to = list(provider_users_of(connection.organisation).values_list("email", flat=True))
    notify(
        to=to or [connection.organisation.email],
        subject="A practitioner has asked you to support a family",
        template="referrals/email/connection_sent.txt",
        context={
            "service": connection.service.name,
            "url": link("referrals:connection", connection.pk),
        },
    )


def connection_answered(connection) -> None:
    notify(
        to=[connection.sent_by.email],
        subject=f"Your connection request has been {connection.status}",
        template="referrals/email/connection_answered.txt",
        context={
            "service": connection.service.name,
            "status": connection.get_status_display(),
            "url": link("referrals:episode", connection.action.outcome.episode_id),
        },
    )


def review_due_soon(episode, due) -> None:
    notify(
        to=[episode.lead_practitioner.email],
        subject=f"{due.label} due on {due.on:%-d %B} for {episode.reference}",
        template="referrals/email/review_due.txt",
        context={
            "label": due.label,
            "on": f"{due.on:%-d %B %Y}",
            "reference": episode.reference,
            "url": link("referrals:episode", episode.pk),
        },
    )


def overdue_actions_digest(user, count: int) -> None:
    notify(
        to=[user.email],
        subject="Family plan actions past their date",
        template="referrals/email/overdue_actions.txt",
        context={"count": count, "url": link("referrals:caseload")},
    )


def closure_requested(episode) -> None:
    """The hub's managers are asked to sign off a closure (no family details in the email)."""
    notify(
        to=list(episode.hub.managers.filter(is_active=True).values_list("email", flat=True)),
        subject=f"Closure to sign off: {episode.reference}",
        template="referrals/email/closure_requested.txt",
        context={
            "reference": episode.reference,
            "lead": str(episode.lead_practitioner),
            "url": link("referrals:sign_off", episode.pk),
        },
    )


def sustainment_due(episode, count: int) -> None:
    """The lead practitioner and the hub's managers are asked to confirm outcomes held."""
    to = {episode.lead_practitioner.email}
    to |= set(episode.hub.managers.filter(is_active=True).values_list("email", flat=True))
    notify(
        to=sorted(to),
        subject=f"Check whether outcomes have lasted: {episode.reference}",
        template="referrals/email/sustainment_due.txt",
        context={
            "reference": episode.reference,
            "count": count,
            "url": link("referrals:episode", episode.pk),
        },
    )


def unusual_lookups(user, count: int) -> None:
    """Administrators hear when someone makes an unusual number of tell-it-once searches."""
    from accounts.models import User

    to = User.objects.with_perm(
        "accounts.invite_user", backend="django.contrib.auth.backends.ModelBackend"
    )
    to = to.filter(council_id=councils.current_council_id()).values_list("email", flat=True)
    notify(
        to=list(to),
        subject="Unusual number of family look-ups",
        template="referrals/email/unusual_lookups.txt",
        context={"who": f"{user.get_full_name()} ({user.email})", "count": count},
    )
