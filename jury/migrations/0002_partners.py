"""Reference data: the seven partners of Operation Kvinnofrid."""

from django.db import migrations

PARTNERS = [
    ("lansstyrelsen-stockholm", "Länsstyrelsen Stockholm", "County Administrative Board of Stockholm"),
    ("region-stockholm", "Region Stockholm", "Region Stockholm"),
    ("polismyndigheten", "Polismyndigheten", "Swedish Police Authority"),
    ("storsthlm", "Storsthlm", "Storsthlm"),
    ("kriminalvarden", "Kriminalvården", "Swedish Prison and Probation Service"),
    ("aklagarmyndigheten", "Åklagarmyndigheten", "Swedish Prosecution Authority"),
    ("stockholms-stad", "Stockholms stad", "City of Stockholm"),
]


def load(apps, schema_editor):
    Partner = apps.get_model("jury", "Partner")
    for position, (slug, name, name_en) in enumerate(PARTNERS, start=1):
        Partner.objects.update_or_create(
            slug=slug, defaults={"name": name, "name_en": name_en, "position": position}
        )


def unload(apps, schema_editor):
    apps.get_model("jury", "Partner").objects.filter(
        slug__in=[slug for slug, *_ in PARTNERS]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("jury", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
