"""Sending email: every app's notifications go through here, queued for the task worker
(`manage.py db_worker`) once the change commits. Plain text only."""

from datetime import timedelta
from uuid import uuid4

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template import Context
from django.template.loader import get_template
from django.urls import reverse
from django.utils import timezone, translation
from django_scopes import scope
from django_tasks import task

from earlyhelp.models import SentEmail
from hubs import councils


@task()
def send_email(
    *,
    to: list[str],
    subject: str,
    template: str,
    context: dict,
    attempt: int = 1,
    key: str | None = None,
    language: str | None = None,
    council: int | None = None,
):
    """Send one email for the council that queued it; on failure try again a minute later, up
    to NOTIFICATION_ATTEMPTS times.

    ``key`` (set once by notify() and kept by every retry) makes sending idempotent: the key is
    recorded in the same transaction as the email is handed to the mail server, so a task run
    again after a worker died never sends it twice, and a second worker running the same task
    at the same moment waits on the first and then skips it. What is left is the moment between
    the mail server accepting the email and the commit: a worker killed exactly then sends it
    again when recovered (at least once, never lost).
    """
    # Plain text: nothing to escape (autoescaping would turn "Children's" into "Children&#x27;s").
    # In the recipient's language: a parent's own (#16), else English (staff), whatever language
    # the request or worker that queued it was in.
    with (
        translation.override(language or settings.LANGUAGE_CODE),
        scope(council=council or councils.current_council_id()),
    ):
        body = get_template(template).template.render(
            Context(
                {
                    **context,
                    "site_url": site_url(),
                    "service_name": settings.SERVICE_NAME,
                    "council_name": councils.current().name,
                },
                autoescape=False,
            )
        )
    try:
        with transaction.atomic():
            if key is not None:
                _, new = SentEmail.objects.get_or_create(key=key)
                if not new:
                    return "already sent"
            send_mail(subject, body, None, to)
    except Exception:
        if attempt < settings.NOTIFICATION_ATTEMPTS:
            send_email.using(run_after=timezone.now() + timedelta(minutes=1)).enqueue(
                to=to,
                subject=subject,
                template=template,
                context=context,
                attempt=attempt + 1,
                key=key,
                language=language,
                council=council,
            )
        raise  # this attempt is marked failed in the task table
    return "sent"


def notify(
    *, to: list[str], subject: str, template: str, context: dict, language: str | None = None
) -> None:
    """Queue an email to be sent once the current transaction commits (never for a rollback),
    written in `language` (a parent's; staff emails are in English)."""
    recipients = sorted({address for address in to if address})
    if not recipients:
        return
    key = str(uuid4())
    council = councils.current_council_id()
    transaction.on_commit(
        lambda: send_email.enqueue(
            to=recipients,
            subject=subject,
            template=template,
            context=context,
            key=key,
            language=language,
            council=council,
        )
    )


def link(name: str, *args, language: str | None = None) -> str:
    """A page's full address, in `language` (/fa/...) or, for staff, English."""
    with translation.override(language or settings.LANGUAGE_CODE):
        return site_url() + reverse(name, args=args)


def site_url() -> str:
    """The current council's address (its data's ``site_url``), else SITE_URL."""
    return councils.current().data.get("site_url", settings.SITE_URL).rstrip("/")
