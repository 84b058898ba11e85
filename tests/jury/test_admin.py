"""The jury's part of the admin: next year's edition copied with its jury and criteria."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from jury.models import Criterion, Juror
from nominations.models import Edition
from tests.factories import (
    ChairFactory,
    CriterionFactory,
    EditionFactory,
    JurorFactory,
    SuperuserFactory,
)

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:nominations_edition_changelist")


def _copy(client, *editions):
    client.force_login(SuperuserFactory())
    return client.post(
        CHANGELIST,
        {"action": "copy_to_next_year", "_selected_action": [e.pk for e in editions]},
    )


def test_copying_an_edition_copies_its_jury_and_criteria_to_next_year(client):
    edition = EditionFactory(year=2090, ordinal=75)
    chair = ChairFactory(edition=edition)
    CriterionFactory(edition=edition, name="Resultat", weight=2)

    response = _copy(client, edition)

    copy = Edition.objects.get(year=2091)
    assert copy.ordinal == 76
    assert list(Juror.objects.filter(edition=copy).values_list("user", "role")) == [
        (chair.user_id, Juror.Role.CHAIR)
    ]
    assert list(Criterion.objects.filter(edition=copy).values_list("name", "weight")) == [
        ("Resultat", 2)
    ]
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Kvinnofridspriset 2091 skapades utifrån 2090. Kontrollera datum och texter."
    ]


@pytest.mark.parametrize("taken", [{"year": 2091, "ordinal": 90}, {"year": 2099, "ordinal": 76}])
def test_a_taken_year_or_ordinal_copies_nothing_not_even_the_jury(client, taken):
    edition = EditionFactory(year=2090, ordinal=75)
    JurorFactory(edition=edition)
    CriterionFactory(edition=edition)
    existing = EditionFactory(**taken)
    before = set(Edition.objects.values_list("pk", flat=True))

    response = _copy(client, edition)

    assert set(Edition.objects.values_list("pk", flat=True)) == before
    assert not Juror.objects.filter(edition=existing).exists()
    assert not Criterion.objects.filter(edition=existing).exists()
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Kvinnofridspriset 2091, eller ett pristillfälle med ordningstalet 76, finns redan; "
        "ingenting kopierades från 2090."
    ]
