"""Each role finds its way by clicking links only: from signing in (by the e-mailed link,
through the real SMTP sink) to every step of theirs, no URL typed after the first page."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from jury.models import ConflictDeclaration, ShortlistEntry
from nominations.models import Nomination
from tests.factories import (
    AssignmentFactory,
    ChairFactory,
    CriterionFactory,
    EditionFactory,
    JurorFactory,
    NominationFactory,
    SecretariatFactory,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def jury():
    """The jury at its final round: the member has declared, scored and may vote."""
    now = timezone.now()
    edition = EditionFactory(
        nominations_open_at=now - timedelta(days=60),
        nominations_close_at=now - timedelta(days=30),
        screening_completed_at=now - timedelta(days=20),
        scoring_opened_at=now - timedelta(days=19),
    )
    CriterionFactory(edition=edition)
    nominees = [
        NominationFactory(
            submitted=True, edition=edition, nominee_name=name, status=Nomination.Status.ELIGIBLE
        ).nominee
        for name in ("Alfateamet", "Betagruppen")
    ]
    ChairFactory(edition=edition)
    member = JurorFactory(edition=edition, user__email="juror@example.org", scores_submitted_at=now)
    for nominee in nominees:
        AssignmentFactory(juror=member, nominee=nominee)
        ConflictDeclaration.objects.create(juror=member, nominee=nominee, conflicted=False)
        ShortlistEntry.objects.create(edition=edition, nominee=nominee)
    return member


def sign_in_link(message, site_url: str) -> str:
    body = message.get_body(preferencelist=("plain",)).get_content()
    (link,) = re.findall(re.escape(site_url) + r"/signin/[\w-]+/", body)
    return link


def test_a_juror_signs_in_and_clicks_their_way_to_every_step(
    live_server, page, jury, mail_sink, site_url, celery_worker
):
    year = jury.edition.year
    page.goto(site_url + "/")
    page.get_by_role("navigation").get_by_role("link", name="Logga in", exact=True).click()
    page.get_by_label("Din e-postadress").fill(jury.user.email)
    page.get_by_role("button", name="Skicka en inloggningslänk").click()

    # The e-mail's link is the one thing followed from outside the pages.
    page.goto(sign_in_link(mail_sink.wait_for(to=jury.user.email), site_url))
    page.get_by_role("button", name="Logga in", exact=True).click()

    expect(page).to_have_url(site_url + "/jury/")
    page.get_by_role("link", name="Din röst", exact=True).click()
    expect(page).to_have_url(f"{site_url}/jury/{year}/ballot/")

    page.get_by_role("navigation").get_by_role("link", name="Jury", exact=True).click()
    page.get_by_role("link", name="Dina jävsförhållanden").click()
    expect(page).to_have_url(f"{site_url}/jury/{year}/conflicts/")

    page.get_by_role("navigation").get_by_role("link", name="Jury", exact=True).click()
    page.get_by_role("link", name="Resultat", exact=True).click()
    expect(page).to_have_url(f"{site_url}/jury/{year}/results/")

    page.get_by_role("navigation").get_by_role("link", name="Mina nomineringar").click()
    expect(page).to_have_url(site_url + "/nominations/")


def test_the_secretariat_clicks_from_the_year_to_screening_the_jury_and_the_admin(
    live_server, page, jury, sign_in
):
    sign_in(SecretariatFactory())
    year = jury.edition.year

    page.goto(live_server.url + "/")
    page.get_by_role("navigation").get_by_role("link", name="Året", exact=True).click()
    expect(page).to_have_url(f"{live_server.url}/prize/{year}/overview/")
    page.get_by_role("navigation").get_by_role("link", name="Administration", exact=True).click()
    expect(page).to_have_url(live_server.url + "/admin/")
    page.get_by_role("link", name="Jury", exact=True).first.click()
    expect(page).to_have_url(live_server.url + "/jury/")
    page.get_by_role("navigation").get_by_role("link", name="Granskning").click()
    expect(page).to_have_url(re.compile(re.escape(live_server.url) + r"/screening/"))
