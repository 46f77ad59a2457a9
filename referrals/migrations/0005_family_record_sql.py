"""Sequences for the stable household and child numbers, and the index that matching uses.

Child IDs (C-000123) and household IDs (F-000123) come from sequences, never from anyone's
details. Matching compares unaccented, lower-cased full names by trigram similarity; unaccent
is not IMMUTABLE, so an immutable wrapper that names its dictionary makes the expression index
possible (the pattern PostgreSQL's own documentation suggests).
"""

from django.db import migrations

NAME_KEY = """
CREATE OR REPLACE FUNCTION referrals_name_key(first_name text, last_name text)
RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS
$$ SELECT lower(public.unaccent('public.unaccent'::regdictionary,
                                first_name || ' ' || last_name)) $$
"""


class Migration(migrations.Migration):
    dependencies = [
        ("referrals", "0004_family_record"),
        ("directory", "0002_search_and_distance"),  # the unaccent and pg_trgm extensions
    ]

    operations = [
        migrations.RunSQL(
            [
                "CREATE EXTENSION IF NOT EXISTS unaccent",
                "CREATE EXTENSION IF NOT EXISTS pg_trgm",
                "CREATE SEQUENCE referrals_child_seq START 1",
                "CREATE SEQUENCE referrals_household_seq START 1",
                NAME_KEY,
                "CREATE INDEX child_name_trgm ON referrals_child "
                "USING gin (referrals_name_key(first_name, last_name) gin_trgm_ops)",
            ],
            [
                "DROP INDEX child_name_trgm",
                "DROP FUNCTION referrals_name_key(text, text)",
                "DROP SEQUENCE referrals_household_seq",
                "DROP SEQUENCE referrals_child_seq",
            ],
        )
    ]
