"""Reference data: the municipalities of Stockholms län and the prize's three areas."""

from django.db import migrations

# Statistics Sweden's municipality codes for Stockholms län (county code 01).
MUNICIPALITIES = [
    ("0114", "Upplands Väsby"),
    ("0115", "Vallentuna"),
    ("0117", "Österåker"),
    ("0120", "Värmdö"),
    ("0123", "Järfälla"),
    ("0125", "Ekerö"),
    ("0126", "Huddinge"),
    ("0127", "Botkyrka"),
    ("0128", "Salem"),
    ("0136", "Haninge"),
    ("0138", "Tyresö"),
    ("0139", "Upplands-Bro"),
    ("0140", "Nykvarn"),
    ("0160", "Täby"),
    ("0162", "Danderyd"),
    ("0163", "Sollentuna"),
    ("0180", "Stockholm"),
    ("0181", "Södertälje"),
    ("0182", "Nacka"),
    ("0183", "Sundbyberg"),
    ("0184", "Solna"),
    ("0186", "Lidingö"),
    ("0187", "Vaxholm"),
    ("0188", "Norrtälje"),
    ("0191", "Sigtuna"),
    ("0192", "Nynäshamn"),
]

AREAS = [
    ("vald-i-nara-relationer", "våld i nära relationer", "violence in close relationships"),
    (
        "hedersrelaterat-vald-och-fortryck",
        "hedersrelaterat våld och förtryck",
        "honour-related violence and oppression",
    ),
    (
        "prostitution-och-manniskohandel",
        "prostitution och människohandel för sexuella ändamål",
        "prostitution and human trafficking for sexual purposes",
    ),
]


def load(apps, schema_editor):
    Municipality = apps.get_model("nominations", "Municipality")
    Area = apps.get_model("nominations", "Area")
    for code, name in MUNICIPALITIES:
        Municipality.objects.update_or_create(code=code, defaults={"name": name})
    for position, (slug, name, name_en) in enumerate(AREAS, start=1):
        Area.objects.update_or_create(
            slug=slug, defaults={"name": name, "name_en": name_en, "position": position}
        )


def unload(apps, schema_editor):
    apps.get_model("nominations", "Municipality").objects.filter(
        code__in=[code for code, _ in MUNICIPALITIES]
    ).delete()
    apps.get_model("nominations", "Area").objects.filter(
        slug__in=[slug for slug, *_ in AREAS]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("nominations", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
