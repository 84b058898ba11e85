"""The scoring form saves itself (htmx, autosave.js): a choice at once, typed notes after a
pause, each save drawn from the version the last one left, so none is refused as stale."""

import re

import pytest
from playwright.sync_api import expect

from jury.models import Assignment, ConflictDeclaration, Score, ScoringNote
from tests.factories import CriterionFactory, EditionFactory, JurorFactory, eligible_nominees
from tests.helpers import wait_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SAVED = re.compile(r"^Saved at \d\d:\d\d\.$")


def test_choices_and_notes_are_saved_while_the_juror_works(live_server, page, sign_in):
    edition = EditionFactory(scoring=True)
    first, second = (
        CriterionFactory(edition=edition, name_en="Long-term work", position=0),
        CriterionFactory(edition=edition, name_en="Collaboration", position=1),
    )
    (nominee,) = eligible_nominees(edition, "Alfateamet")
    juror = JurorFactory(edition=edition)
    Assignment.objects.create(juror=juror, nominee=nominee)
    ConflictDeclaration.objects.create(juror=juror, nominee=nominee, conflicted=False)
    sign_in(juror.user)
    page.goto(f"{live_server.url}/en/jury/{edition.year}/nominees/{nominee.pk}/")
    status = page.locator("#autosave-status")

    page.locator(f'[data-criterion="{first.pk}"]').get_by_role("radio", name="4 – ").check()
    expect(status).to_have_text(SAVED, timeout=10_000)
    assert list(Score.objects.filter(juror=juror).values_list("criterion", "value")) == [
        (first.pk, 4)
    ]

    # The next saves carry the version the first one answered: none is refused as stale.
    page.locator(f'[data-criterion="{second.pk}"]').get_by_role("radio", name="2 – ").check()
    page.get_by_label("Private notes").fill("Fråga om finansieringen.")
    wait_for(
        lambda: ScoringNote.objects.filter(juror=juror, text="Fråga om finansieringen.").exists(),
        timeout=10,
    )
    expect(status).to_have_text(SAVED)
    assert sorted(Score.objects.filter(juror=juror).values_list("criterion", "value")) == sorted(
        [(first.pk, 4), (second.pk, 2)]
    )
