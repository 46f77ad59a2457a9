"""Check the audit trail's hash chain: every event must carry the hash of the one before it and
its own hash must match its contents. Exits non-zero at the first break."""

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

# Recomputed by the same database function that set the hashes (migration 0003).
BREAKS = """
SELECT id, previous_hash = coalesce(lag(hash) OVER (ORDER BY id), '') AS linked,
       hash = earlyhelp_audit_digest(previous_hash, e) AS intact
  FROM earlyhelp_auditevent e
"""


class Command(BaseCommand):
    help = "Verify the audit trail's hash chain (exit status 1 if an event was changed or removed)."

    def handle(self, *args, **options):
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT count(*), min(id) FILTER (WHERE NOT linked), "  # noqa: S608 (constant)
                f"min(id) FILTER (WHERE NOT intact) FROM ({BREAKS}) chain"
            )
            checked, first_unlinked, first_altered = cursor.fetchone()
            cursor.execute("SELECT hash FROM earlyhelp_auditevent ORDER BY id DESC LIMIT 1")
            head = cursor.fetchone()
        problems = []
        if first_altered is not None:
            problems.append(f"event {first_altered} does not match its hash (it was changed)")
        if first_unlinked is not None:
            problems.append(
                f"event {first_unlinked} does not follow the event before it "
                "(an event before it was removed or changed)"
            )
        if problems:
            raise CommandError(f"The audit trail is broken: {'; '.join(problems)}.")
        self.stdout.write(
            f"The audit trail is intact: {checked} events checked. "
            f"Latest hash: {head[0] if head else 'none (no events yet)'}"
        )
        self.stdout.write(
            "Keep the latest hash somewhere else (a ticket, an email): if the newest events are "
            "ever removed, the chain will end before it."
        )
