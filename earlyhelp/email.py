"""Sending email: every app's notifications go through here, queued for the task worker
(`manage.py db_worker`) once the change commits. Plain text only."""

from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template import Context
from django.template.loader import get_template
from django.urls import reverse
from django.utils import timezone
from django_tasks import task


@task()
def send_email(*, to: list[str], subject: str, template: str, context: dict, attempt: int = 1):
    """Send one email; on failure try again a minute later, up to NOTIFICATION_ATTEMPTS times."""
    # Plain text: nothing to escape (autoescaping would turn "Children's" into "Children&#x27;s").
    body = get_template(template).template.render(
        Context(
            {
                **context,
                "site_url": settings.SITE_URL,
                "service_name": settings.SERVICE_NAME,
                "council_name": settings.COUNCIL_NAME,
            },
            autoescape=False,
        )
    )
    try:
        send_mail(subject, body, None, to)
    except Exception:
        if attempt < settings.NOTIFICATION_ATTEMPTS:
            send_email.using(run_after=timezone.now() + timedelta(minutes=1)).enqueue(
                to=to, subject=subject, template=template, context=context, attempt=attempt + 1
            )
        raise  # this attempt is marked failed in the task table


def notify(*, to: list[str], subject: str, template: str, context: dict) -> None:
    """Queue an email to be sent once the current transaction commits (never for a rollback)."""
    recipients = sorted({address for address in to if address})
    if not recipients:
        return
    transaction.on_commit(
        lambda: send_email.enqueue(
            to=recipients, subject=subject, template=template, context=context
        )
    )


def link(name: str, *args) -> str:
    return settings.SITE_URL + reverse(name, args=args)
