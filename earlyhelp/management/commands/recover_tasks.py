from django.core.management.base import BaseCommand

from earlyhelp.tasks import recover_stalled_tasks


class Command(BaseCommand):
    help = (
        "Queue again the tasks a dead worker left running (after TASK_RUNNING_TIMEOUT_MINUTES), "
        "or mark them failed after TASK_MAX_RUNS runs. The scheduler runs it every 5 minutes."
    )

    def handle(self, *args, **options):
        counts = recover_stalled_tasks()
        self.stdout.write(
            f"Tasks left running by a dead worker: {counts['requeued']} queued again, "
            f"{counts['failed']} marked failed."
        )
