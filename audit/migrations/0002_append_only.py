"""The database itself refuses to change or delete an audit entry.

The model refuses too, but anyone with a database connection bypasses the model. The SQL
differs per database: PostgreSQL in production and tests, SQLite for `make run`.
"""

from django.db import migrations

TABLE = "audit_auditentry"

POSTGRESQL = {
    "forwards": [
        f"""
        CREATE FUNCTION audit_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION 'The audit log is append-only: % on {TABLE} is refused', TG_OP
                USING ERRCODE = 'insufficient_privilege';
        END;
        $$;
        """,
        f"""
        CREATE TRIGGER audit_auditentry_append_only
            BEFORE UPDATE OR DELETE ON {TABLE}
            FOR EACH ROW EXECUTE FUNCTION audit_refuse_change();
        """,
    ],
    "backwards": [
        f"DROP TRIGGER IF EXISTS audit_auditentry_append_only ON {TABLE};",
        "DROP FUNCTION IF EXISTS audit_refuse_change();",
    ],
}

SQLITE = {
    "forwards": [
        f"""
        CREATE TRIGGER audit_auditentry_no_update BEFORE UPDATE ON {TABLE}
        BEGIN SELECT RAISE(ABORT, 'The audit log is append-only: UPDATE is refused'); END;
        """,
        f"""
        CREATE TRIGGER audit_auditentry_no_delete BEFORE DELETE ON {TABLE}
        BEGIN SELECT RAISE(ABORT, 'The audit log is append-only: DELETE is refused'); END;
        """,
    ],
    "backwards": [
        "DROP TRIGGER IF EXISTS audit_auditentry_no_update;",
        "DROP TRIGGER IF EXISTS audit_auditentry_no_delete;",
    ],
}

BY_VENDOR = {"postgresql": POSTGRESQL, "sqlite": SQLITE}


def _run(direction):
    def run(apps, schema_editor):
        statements = BY_VENDOR.get(schema_editor.connection.vendor)
        if statements is None:
            raise RuntimeError(
                f"No append-only trigger for {schema_editor.connection.vendor}: write one."
            )
        for statement in statements[direction]:
            # No parameters: the PL/pgSQL `%` is not a placeholder.
            schema_editor.execute(statement, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(_run("forwards"), _run("backwards")),
    ]
