"""The audit trail against the application itself: a hash chain set by the database, and a
TRUNCATE trigger beside the UPDATE/DELETE one (0002). The app role's grants are in db_roles."""

from django.db import migrations, models

CHAIN = r"""
-- The digest of one event, chained to the one before: the same function adds events and
-- verifies them (manage.py verify_audit), so the two cannot drift apart.
CREATE FUNCTION earlyhelp_audit_digest(previous text, e earlyhelp_auditevent)
RETURNS text LANGUAGE sql STABLE AS $$
    SELECT encode(sha256(convert_to(concat_ws(
        '|', previous, e.id::text,
        to_char(e.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US'),
        coalesce(e.actor_id::text, ''), e.action, e.record_type, e.record_id,
        coalesce(host(e.ip_address), ''), e.detail::text
    ), 'UTF8')), 'hex')
$$;

-- Events join the chain one at a time: the lock is held until the adding transaction ends,
-- so ids are handed out in chain order and each event sees the last one committed.
CREATE FUNCTION earlyhelp_audit_chain() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    last_hash text;
BEGIN
    PERFORM pg_advisory_xact_lock(hashtext('earlyhelp_auditevent_chain'));
    NEW.id := nextval(pg_get_serial_sequence('earlyhelp_auditevent', 'id'));
    SELECT hash INTO last_hash FROM earlyhelp_auditevent ORDER BY id DESC LIMIT 1;
    NEW.previous_hash := coalesce(last_hash, '');
    NEW.hash := earlyhelp_audit_digest(NEW.previous_hash, NEW);
    RETURN NEW;
END;
$$;

-- Events recorded before the chain existed join it in the order they were added.
ALTER TABLE earlyhelp_auditevent DISABLE TRIGGER earlyhelp_auditevent_append_only;
DO $$
DECLARE
    e earlyhelp_auditevent;
    last_hash text := '';
BEGIN
    FOR e IN SELECT * FROM earlyhelp_auditevent ORDER BY id LOOP
        UPDATE earlyhelp_auditevent
           SET previous_hash = last_hash, hash = earlyhelp_audit_digest(last_hash, e)
         WHERE id = e.id
        RETURNING hash INTO last_hash;
    END LOOP;
END;
$$;
ALTER TABLE earlyhelp_auditevent ENABLE TRIGGER earlyhelp_auditevent_append_only;

CREATE TRIGGER earlyhelp_auditevent_chain
    BEFORE INSERT ON earlyhelp_auditevent
    FOR EACH ROW EXECUTE FUNCTION earlyhelp_audit_chain();

-- TRUNCATE skips row triggers, so it gets its own. The one exception is for the test suite:
-- a superuser (who could drop the trigger anyway) emptying a test_ database between tests,
-- having said so with the earlyhelp.flush_audit setting.
CREATE FUNCTION earlyhelp_audit_no_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('earlyhelp.flush_audit', true) = 'on'
       AND current_database() LIKE 'test\_%'
       AND (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'the audit trail is append-only: TRUNCATE is not allowed'
        USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER earlyhelp_auditevent_no_truncate
    BEFORE TRUNCATE ON earlyhelp_auditevent
    FOR EACH STATEMENT EXECUTE FUNCTION earlyhelp_audit_no_truncate();
"""

UNCHAIN = """
DROP TRIGGER earlyhelp_auditevent_no_truncate ON earlyhelp_auditevent;
DROP FUNCTION earlyhelp_audit_no_truncate();
DROP TRIGGER earlyhelp_auditevent_chain ON earlyhelp_auditevent;
DROP FUNCTION earlyhelp_audit_chain();
DROP FUNCTION earlyhelp_audit_digest(text, earlyhelp_auditevent);
"""


class Migration(migrations.Migration):
    dependencies = [("earlyhelp", "0002_audit_events_are_append_only")]

    operations = [
        migrations.AddField(
            model_name="auditevent",
            name="previous_hash",
            field=models.CharField(blank=True, default="", editable=False, max_length=64),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="auditevent",
            name="hash",
            field=models.CharField(blank=True, default="", editable=False, max_length=64),
            preserve_default=False,
        ),
        migrations.RunSQL(CHAIN, UNCHAIN),
    ]
