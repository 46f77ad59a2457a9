"""Fewer statistics on services' names, so planning a search costs less (#18).

Every search asks PostgreSQL for names similar to the words (pg_trgm's `%>`). To estimate how
many there are, the planner works out the similarity of the words to each value in the name
column's histogram (up to 100 of them) and its most common values. With the column's statistics
target at 10 the histogram is too short to be used (PostgreSQL needs 100 values) and a default
share is assumed instead. At Barnet's size this took 0.35 ms of the 1.1 ms PostgreSQL spent
planning a search near a postcode (EXPLAIN ANALYZE, warm session); `make bench` shows the
effect at 100,000 services.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("directory", "0014_council_on_every_row")]

    operations = [
        migrations.RunSQL(
            "ALTER TABLE directory_service ALTER COLUMN name SET STATISTICS 10; "
            "ANALYZE directory_service (name);",
            reverse_sql="ALTER TABLE directory_service ALTER COLUMN name SET STATISTICS -1;",
        )
    ]
