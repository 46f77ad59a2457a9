"""The audit trail cannot be edited or deleted, by the application or anyone with SQL access."""

from django.db import migrations

FORBID = """
CREATE FUNCTION earlyhelp_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the audit trail is append-only: % is not allowed', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER earlyhelp_auditevent_append_only
    BEFORE UPDATE OR DELETE ON earlyhelp_auditevent
    FOR EACH ROW EXECUTE FUNCTION earlyhelp_audit_append_only();
"""

ALLOW = """
DROP TRIGGER earlyhelp_auditevent_append_only ON earlyhelp_auditevent;
DROP FUNCTION earlyhelp_audit_append_only();
"""


class Migration(migrations.Migration):
    dependencies = [("earlyhelp", "0001_initial")]

    operations = [migrations.RunSQL(FORBID, ALLOW)]
