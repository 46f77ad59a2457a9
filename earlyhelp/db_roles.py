"""The application's database role: what it may do, granted by the owner after each migration.

The app role reads and writes case data but owns nothing, so it cannot TRUNCATE, ALTER or disable
the triggers of any table, nor set session_replication_role (a superuser's setting). On the audit
trail it may only read and add: UPDATE, DELETE and TRUNCATE are not granted, and the table's
triggers refuse them to everyone else as well (migrations 0002 and 0003).
"""

from django.conf import settings
from django.db import connection
from psycopg import sql

AUDIT_TABLE = "earlyhelp_auditevent"


def grant_app_role(role: str, *, using=connection) -> None:
    """Give ``role`` the application's rights on every table and sequence, and no more."""
    name = sql.Identifier(role)
    statements = [
        sql.SQL("GRANT CONNECT, TEMPORARY ON DATABASE {} TO {}").format(
            sql.Identifier(using.settings_dict["NAME"]), name
        ),
        sql.SQL("GRANT USAGE ON SCHEMA public TO {}").format(name),
        sql.SQL("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {}").format(
            name
        ),
        sql.SQL("GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO {}").format(name),
        # Read and add, nothing else, on the audit trail.
        sql.SQL("REVOKE UPDATE, DELETE, TRUNCATE ON {} FROM {}").format(
            sql.Identifier(AUDIT_TABLE), name
        ),
        # Only migrations record migrations.
        sql.SQL("REVOKE INSERT, UPDATE, DELETE ON django_migrations FROM {}").format(name),
    ]
    with using.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def grant_after_migrate(sender, using="default", **kwargs) -> None:
    """post_migrate: re-grant, so tables added by this migration are covered too."""
    from django.db import connections

    role = settings.DATABASE_APP_USER
    target = connections[using]
    if role and target.settings_dict["USER"] != role:
        grant_app_role(role, using=target)
