"""The Swedish catalogue is complete, and the admin speaks Swedish, Django's newest strings
included."""

from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.db.models.fields import BLANK_CHOICE_LABEL
from django.utils import translation

from tests.factories import SuperuserFactory

SWEDISH = Path(settings.BASE_DIR) / "kvinnofrid" / "locale" / "sv" / "LC_MESSAGES"


@pytest.mark.parametrize("domain", ["django", "djangojs"])
def test_every_swedish_msgid_is_translated_and_none_is_fuzzy(domain):
    catalogue = polib.pofile(str(SWEDISH / f"{domain}.po"))

    untranslated = [entry.msgid for entry in catalogue.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]

    assert untranslated == []
    assert fuzzy == []


def test_djangos_blank_choice_label_is_swedish():
    with translation.override("sv"):
        assert str(BLANK_CHOICE_LABEL) == "- Välj ett alternativ -"


@pytest.mark.django_db
def test_the_admins_timezone_note_is_swedish(client):
    client.force_login(SuperuserFactory())

    script = client.get("/admin/jsi18n/").content.decode()

    assert "Obs: ange tider i tidszonen %(timezone)s. (Du ligger %(offset)s timme efter.)" in script
    assert "Note: Enter times in" in script  # the msgid, mapped to the Swedish above


def test_a_label_that_agrees_with_its_noun_takes_its_form_from_the_context():
    # Swedish inflects a participle by the gender of what it describes: what happened to the
    # announcement (tillkännagivandet, neuter) is "Offentliggjort", the phase "Offentliggjord".
    from nominations.models import Edition
    from publication.models import AnnouncementEvent

    with translation.override("sv"):
        steps = [str(label) for label in AnnouncementEvent.Kind.labels]
        assert steps[-3:] == ["Schemalagt", "Publicering nu begärd", "Offentliggjort"]
        assert str(Edition.Phase.PUBLISHED.label) == "Offentliggjord"
