"""Placeholder: the audit trail's hash chain and grants (filled in by the audit work)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("earlyhelp", "0002_audit_events_are_append_only")]

    operations = []
