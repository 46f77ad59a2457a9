"""References like EH-2026-000123 come from one sequence, so two submissions never share one."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("referrals", "0001_initial")]

    operations = [
        migrations.RunSQL(
            "CREATE SEQUENCE referrals_reference_seq START 1",
            "DROP SEQUENCE referrals_reference_seq",
        )
    ]
