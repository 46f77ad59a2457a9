"""Reminders that keep episodes from drifting: a review (or first meeting) due soon, and a weekly
digest of plan actions past their date."""

from collections import Counter
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from referrals import episodes, notifications
from referrals.models import Action, Episode, EpisodeEvent


def send_due_reminders(today=None) -> int:
    """Remind lead practitioners of a meeting due in TAF_REVIEW_REMINDER_DAYS; once each."""
    today = today or timezone.localdate()
    target = today + timedelta(days=settings.TAF_REVIEW_REMINDER_DAYS)
    sent = 0
    for episode in episodes.with_dates(
        Episode.objects.filter(status__in=episodes.OPEN, is_sample=False)
    ):
        due = episodes.next_due(episode, episode.last_meeting)
        if due is None or due.on != target:
            continue
        summary = f"Reminder sent: {due.label.lower()} due {due.on:%-d %B %Y}"
        if EpisodeEvent.objects.filter(episode=episode, kind="reminder", summary=summary).exists():
            continue
        notifications.review_due_soon(episode, due)
        episodes.event(episode, "reminder", summary)
        sent += 1
    return sent


def send_overdue_digests(today=None) -> int:
    """Email each person the number of overdue actions they own, or lead, in open episodes."""
    today = today or timezone.localdate()
    overdue = Action.objects.filter(
        due_on__lt=today,
        status__in=[Action.Status.NOT_STARTED, Action.Status.IN_PROGRESS],
        outcome__episode__status__in=episodes.OPEN,
        outcome__episode__is_sample=False,
    ).select_related("owner_member__user", "outcome__episode__lead_practitioner")
    counts: Counter = Counter()
    people = {}
    for action in overdue:
        lead = action.outcome.episode.lead_practitioner
        owner = action.owner_member.user if action.owner_member_id else None
        for user in {u for u in (lead, owner) if u is not None}:
            counts[user.pk] += 1
            people[user.pk] = user
    for pk, count in counts.items():
        if people[pk].is_active:
            notifications.overdue_actions_digest(people[pk], count)
    return len(counts)


__all__ = ["send_due_reminders", "send_overdue_digests"]
