"""Run the queued background tasks (emails) now, as `manage.py db_worker` would.

The worker command closes database connections between tasks, which would end a test's
transaction, so tests run the queued tasks here instead, in the test's own connection.
"""

from django_tasks_db.models import DBTaskResult


def run_tasks() -> list[DBTaskResult]:
    ran = []
    while batch := list(DBTaskResult.objects.ready()):
        for result in batch:
            result.claim("test-worker")
            try:
                value = result.task.call(
                    *result.args_kwargs["args"], **result.args_kwargs["kwargs"]
                )
            except Exception as error:  # noqa: BLE001 - recorded as the worker records it
                result.set_failed(error)
            else:
                result.set_successful(value)
            ran.append(result)
    return ran
