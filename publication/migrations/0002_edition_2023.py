"""The archive's first entry: Kvinnofridspriset 2023, given for the eighth time.

The citation is the jury's text word for word; the English version is ours and is shown
marked as an unofficial translation.
"""

from django.db import migrations
from django.utils import timezone

CITATION_2023 = (
    "BIN-sektionen i polisområde syd har arbetat långsiktigt med att på riktigt kunna göra "
    "skillnad för alla som utsatts för brott i en nära relation. Det är en välfungerande "
    "verksamhet, vilket märks både internt och av externa samverkansparter. Sektionen har både "
    "förbättrat den interna samverkan med lokalpolisområdena och utvecklat god samverkan även "
    "med externa aktörer, vilket är en nyckel för ett arbete med den utsatta i fokus. Vi vill "
    "med detta pris uppmärksamma en engagerad samverkan."
)

CITATION_2023_EN = (
    "The BIN section in police area South has worked over the long term to truly make a "
    "difference for everyone who has been subjected to crime in a close relationship. It is a "
    "well-functioning operation, which is noticed both internally and by external partners. "
    "The section has both improved the internal collaboration with the local police areas and "
    "developed good collaboration with external actors as well, which is key to work that keeps "
    "the victim in focus. With this prize we wish to recognise a committed collaboration."
)


def load(apps, schema_editor):
    Edition = apps.get_model("nominations", "Edition")
    Organisation = apps.get_model("nominations", "Organisation")
    Announcement = apps.get_model("publication", "Announcement")
    edition, _ = Edition.objects.update_or_create(
        year=2023,
        defaults={
            "ordinal": 8,
            "conference_theme": "rättssäkerhet och kvalitet i brottsutredningar",
            "conference_theme_en": "legal certainty and quality in criminal investigations",
        },
    )
    police, _ = Organisation.objects.update_or_create(
        organisation_number="202100-0076",
        defaults={"name": "Polismyndigheten", "kind": "authority"},
    )
    Announcement.objects.update_or_create(
        edition=edition,
        defaults={
            "winner_name": "BIN-sektionen i polisområde Stockholm syd",
            "winner_organisation": police,
            "citation": CITATION_2023,
            "citation_en": CITATION_2023_EN,
            # The day of the 2023 ceremony is not in our sources: this records when the
            # platform published the entry, and it is not shown.
            "published_at": timezone.now(),
        },
    )


def unload(apps, schema_editor):
    apps.get_model("publication", "Announcement").objects.filter(edition__year=2023).delete()
    apps.get_model("nominations", "Edition").objects.filter(year=2023).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("publication", "0001_initial"),
        ("nominations", "0002_reference_data"),
    ]

    operations = [migrations.RunPython(load, unload)]
