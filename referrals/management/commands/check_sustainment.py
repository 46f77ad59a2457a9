"""Run daily: ask lead practitioners and hub managers to confirm achieved outcomes have lasted
once their sustainment period ends (Supporting Families "significant and sustained")."""

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from referrals import episodes, notifications
from referrals.models import Outcome


class Command(BaseCommand):
    help = "Email the lead practitioner and hub managers about outcomes due a sustainment check."

    def handle(self, *args, **options):
        today = timezone.localdate()
        # Sample case data (generate_caseload) has no real people to ask.
        due = episodes.sustainment_due(today).filter(
            sustain_reminded_on=None, episode__is_sample=False
        )
        by_episode: dict = {}
        for outcome in due:
            by_episode.setdefault(outcome.episode, []).append(outcome.pk)
        for episode, outcome_ids in by_episode.items():
            with transaction.atomic():
                notifications.sustainment_due(episode, len(outcome_ids))
                Outcome.objects.filter(pk__in=outcome_ids).update(sustain_reminded_on=today)
        self.stdout.write(
            f"Asked about {sum(len(v) for v in by_episode.values())} outcomes "
            f"in {len(by_episode)} episodes"
        )
