"""Full-text search, kept in the database.

- A statement-level trigger keeps ``term_names`` (the names of a service's taxonomy terms) in step
  with the service-term table, so bulk loads update each service once per statement.
- A row trigger rebuilds ``search_vector`` from name (A), term names (B), summary (C) and
  description (D), accents removed, whenever one of them changes.
- ``pg_trgm`` indexes names for typo-tolerant matching. Distances need no extension: places are
  cut to a box on the indexed latitude/longitude columns and measured on a flat projection
  (directory.filters.Distance). Both extensions are trusted in PostgreSQL 13+, so the database
  owner can create them.
"""

from django.contrib.postgres.operations import TrigramExtension, UnaccentExtension
from django.db import migrations

SEARCH_VECTOR = """
CREATE FUNCTION directory_service_search_vector() RETURNS trigger AS $$
BEGIN
    NEW.search_vector :=
        setweight(to_tsvector('english', unaccent(coalesce(NEW.name, ''))), 'A') ||
        setweight(to_tsvector('english', unaccent(coalesce(NEW.term_names, ''))), 'B') ||
        setweight(to_tsvector('english', unaccent(coalesce(NEW.summary, ''))), 'C') ||
        setweight(to_tsvector('english', unaccent(coalesce(NEW.description, ''))), 'D');
    RETURN NEW;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER directory_service_search_vector
BEFORE INSERT OR UPDATE OF name, term_names, summary, description ON directory_service
FOR EACH ROW EXECUTE FUNCTION directory_service_search_vector();
"""

TERM_NAMES = """
CREATE FUNCTION directory_service_term_names(service uuid) RETURNS text AS $$
    SELECT coalesce(string_agg(t.name, ' ' ORDER BY t.name), '')
    FROM directory_service_terms st JOIN directory_taxonomyterm t ON t.id = st.taxonomyterm_id
    WHERE st.service_id = service
$$ LANGUAGE sql STABLE;

CREATE FUNCTION directory_service_refresh_term_names() RETURNS trigger AS $$
BEGIN
    UPDATE directory_service s SET term_names = directory_service_term_names(s.id)
    WHERE s.id IN (SELECT service_id FROM changed_rows);
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER directory_service_terms_inserted
AFTER INSERT ON directory_service_terms REFERENCING NEW TABLE AS changed_rows
FOR EACH STATEMENT EXECUTE FUNCTION directory_service_refresh_term_names();

CREATE TRIGGER directory_service_terms_deleted
AFTER DELETE ON directory_service_terms REFERENCING OLD TABLE AS changed_rows
FOR EACH STATEMENT EXECUTE FUNCTION directory_service_refresh_term_names();

CREATE FUNCTION directory_taxonomyterm_renamed() RETURNS trigger AS $$
BEGIN
    UPDATE directory_service s SET term_names = directory_service_term_names(s.id)
    WHERE s.id IN (SELECT service_id FROM directory_service_terms WHERE taxonomyterm_id = NEW.id);
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER directory_taxonomyterm_renamed
AFTER UPDATE OF name ON directory_taxonomyterm
FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name)
EXECUTE FUNCTION directory_taxonomyterm_renamed();
"""

INDEXES = """
CREATE INDEX directory_service_name_trgm ON directory_service USING gin (name gin_trgm_ops);
"""

REVERSE = """
DROP INDEX IF EXISTS directory_service_name_trgm;
DROP TRIGGER IF EXISTS directory_taxonomyterm_renamed ON directory_taxonomyterm;
DROP FUNCTION IF EXISTS directory_taxonomyterm_renamed();
DROP TRIGGER IF EXISTS directory_service_terms_deleted ON directory_service_terms;
DROP TRIGGER IF EXISTS directory_service_terms_inserted ON directory_service_terms;
DROP FUNCTION IF EXISTS directory_service_refresh_term_names();
DROP FUNCTION IF EXISTS directory_service_term_names(uuid);
DROP TRIGGER IF EXISTS directory_service_search_vector ON directory_service;
DROP FUNCTION IF EXISTS directory_service_search_vector();
"""


class Migration(migrations.Migration):
    dependencies = [("directory", "0001_initial")]

    operations = [
        UnaccentExtension(),
        TrigramExtension(),
        migrations.RunSQL(SEARCH_VECTOR + TERM_NAMES + INDEXES, REVERSE),
    ]
