"""The directory's vocabulary, for correcting misspelt search words.

A statement-level trigger adds the words (letters only, three or more) of each inserted or
renamed service's name and category names to directory_searchword; a trigram index finds the closest word to a misspelling. Words
are never removed: a stale word can only suggest a correction that then finds nothing.
"""

from django.db import migrations

FORWARD = """
CREATE TABLE directory_searchword (word text PRIMARY KEY);
CREATE INDEX directory_searchword_trgm ON directory_searchword USING gin (word gin_trgm_ops);

CREATE FUNCTION directory_service_add_words() RETURNS trigger AS $$
BEGIN
    INSERT INTO directory_searchword (word)
    SELECT DISTINCT w FROM changed_rows r,
        regexp_split_to_table(lower(unaccent(r.name || ' ' || coalesce(r.term_names, ''))), '[^a-z0-9]+') AS w
    WHERE w ~ '^[a-z]{3,}$'
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER directory_service_words_inserted
AFTER INSERT ON directory_service REFERENCING NEW TABLE AS changed_rows
FOR EACH STATEMENT EXECUTE FUNCTION directory_service_add_words();

CREATE TRIGGER directory_service_words_updated
AFTER UPDATE ON directory_service REFERENCING NEW TABLE AS changed_rows
FOR EACH STATEMENT EXECUTE FUNCTION directory_service_add_words();

INSERT INTO directory_searchword (word)
SELECT DISTINCT w FROM directory_service s,
    regexp_split_to_table(lower(unaccent(s.name || ' ' || coalesce(s.term_names, ''))), '[^a-z0-9]+') AS w
WHERE w ~ '^[a-z]{3,}$'
ON CONFLICT DO NOTHING;
"""

REVERSE = """
DROP TRIGGER IF EXISTS directory_service_words_updated ON directory_service;
DROP TRIGGER IF EXISTS directory_service_words_inserted ON directory_service;
DROP FUNCTION IF EXISTS directory_service_add_words();
DROP TABLE IF EXISTS directory_searchword;
"""


class Migration(migrations.Migration):
    dependencies = [("directory", "0003_life_stage_guide")]

    operations = [migrations.RunSQL(FORWARD, REVERSE)]
