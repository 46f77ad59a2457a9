"""A task that takes its time, for killing a real worker in the middle of it."""

import time

from django_tasks import task


@task()
def linger(seconds: float) -> str:
    time.sleep(seconds)
    return "done"
