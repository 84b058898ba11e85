"""The chain head exists from the start: every audit entry locks it, and need not create it
first (`audit.services.record` still does when it is missing, as after a flushed test
database)."""

from django.db import migrations


def create_chain_head(apps, schema_editor):
    apps.get_model("audit", "ChainHead").objects.get_or_create(id=1)


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_alter_auditentry_action")]

    operations = [migrations.RunPython(create_chain_head, migrations.RunPython.noop)]
