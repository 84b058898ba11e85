"""Each role finds its way by clicking links only: from signing in (by the e-mailed link,
through the real SMTP sink) to every step of theirs, no URL typed after the first page."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from jury.models import Ballot, ConflictDeclaration, Decision, Score, ShortlistEntry
from nominations.models import Nomination
from tests.factories import (
    AssignmentFactory,
    ChairFactory,
    CriterionFactory,
    EditionFactory,
    JurorFactory,
    SecretariatFactory,
    eligible_nominees,
    valid_organisation_number,
)

pytestmark = [pytest.mark.browser, pytest.mark.integration, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def jury():
    """The jury at its final round: the member has declared, scored and may vote."""
    now = timezone.now()
    edition = EditionFactory(scoring=True)
    CriterionFactory(edition=edition)
    nominees = eligible_nominees(edition, "Alfateamet", "Betagruppen")
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


def sign_in_by_link(page, site_url: str, mail_sink, email: str) -> None:
    """From the home page: the menu's "Logga in", the address, the e-mailed link, the button."""
    page.goto(site_url + "/")
    page.get_by_role("navigation").get_by_role("link", name="Logga in", exact=True).click()
    page.get_by_label("Din e-postadress").fill(email)
    page.get_by_role("button", name="Skicka en inloggningslänk").click()
    # The e-mail's link is the one thing followed from outside the pages.
    page.goto(sign_in_link(mail_sink.wait_for(to=email), site_url))
    page.get_by_role("button", name="Logga in", exact=True).click()


@pytest.fixture
def chairs_jury():
    """Scores are in; a member's conflict of interest awaits the chair's ruling."""
    now = timezone.now()
    edition = EditionFactory(scoring=True, scoring_deadline=now - timedelta(days=1))
    criterion = CriterionFactory(edition=edition)
    nominees = eligible_nominees(edition, "Alfateamet", "Betagruppen", "Gammamottagningen")
    chair = ChairFactory(
        edition=edition,
        user__email="chair@example.org",
        user__first_name="Cecilia",
        user__last_name="Ordf",
        scores_submitted_at=now,
    )
    member = JurorFactory(
        edition=edition, user__first_name="Maja", user__last_name="Medlem", scores_submitted_at=now
    )
    for juror, values in [(chair, (5, 3, 2)), (member, (4, 4, 1))]:
        for nominee, value in zip(nominees, values, strict=True):
            AssignmentFactory(juror=juror, nominee=nominee)
            Score.objects.create(juror=juror, nominee=nominee, criterion=criterion, value=value)
    ConflictDeclaration.objects.create(
        juror=member, nominee=nominees[2], conflicted=True, reason="Jag var anställd där."
    )
    TOTPDevice.objects.create(user=chair.user, name="app", confirmed=True)
    return chair


def test_the_chair_signs_in_and_clicks_from_a_ruling_to_the_decision(
    live_server, page, chairs_jury, mail_sink, site_url, celery_worker, axe_check
):
    chair = chairs_jury
    year = chair.edition.year
    jury_home = page.get_by_role("navigation").get_by_role("link", name="Jury", exact=True)

    sign_in_by_link(page, site_url, mail_sink, chair.user.email)
    # The chair always gives a second factor.
    device = TOTPDevice.objects.get(user=chair.user)
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    page.get_by_label("Kod").fill(f"{code:06d}")
    page.get_by_role("button", name="Fortsätt").click()

    expect(page).to_have_url(site_url + "/jury/")
    axe_check("chair: jury home, a conflict awaits (sv)")
    page.get_by_role("link", name="1 jävsanmälan väntar på ditt beslut.").click()
    expect(page).to_have_url(f"{site_url}/jury/{year}/conflicts/rulings/")
    axe_check("chair: rulings, one pending (sv)")
    card = page.locator("article.declaration")
    card.get_by_role("radio", name="Jäv: jurymedlemmen bedömer inte den nominerade").check()
    card.get_by_label("Skäl till beslutet").fill("Anställd där i fjol.")
    card.get_by_role("button", name="Registrera beslutet").click()
    expect(page.locator("article.declaration .ruled-by")).to_contain_text("Cecilia Ordf")
    axe_check("chair: rulings, ruled (sv)")
    assert ConflictDeclaration.objects.get().ruling == ConflictDeclaration.Ruling.UPHELD

    jury_home.click()
    expect(page.get_by_role("link", name=re.compile("väntar på ditt beslut"))).to_have_count(0)
    page.get_by_role("link", name="Resultat", exact=True).click()
    expect(page).to_have_url(f"{site_url}/jury/{year}/results/")
    axe_check("chair: results (sv)")

    jury_home.click()
    page.get_by_role("link", name="Slutkandidater", exact=True).click()
    expect(page).to_have_url(f"{site_url}/jury/{year}/shortlist/")
    page.get_by_role("checkbox", name="Alfateamet").check()
    page.get_by_role("checkbox", name="Betagruppen").check()
    deadline = timezone.localtime() + timedelta(days=7)
    page.get_by_label("Sista dag för omröstningen").fill(deadline.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_role("button", name="Spara slutkandidaterna").click()
    expect(page.get_by_role("status")).to_contain_text("2 nominerade")
    expect(page.locator(".current-shortlist li")).to_have_text(["Alfateamet", "Betagruppen"])
    axe_check("chair: shortlist, saved with the ballot deadline (sv)")
    chair.edition.refresh_from_db()
    assert chair.edition.ballot_deadline == deadline.replace(second=0, microsecond=0)

    jury_home.click()
    expect(page.locator(".ballot-open")).to_contain_text("Omröstningen stänger")
    page.get_by_role("link", name="Din röst", exact=True).click()
    expect(page.locator(".ballot-deadline")).to_contain_text("Omröstningen stänger")
    page.get_by_label("Alfateamet").select_option("1")
    page.get_by_label("Betagruppen").select_option("2")
    page.get_by_role("button", name="Lämna min röst").click()
    expect(page.locator(".my-ranking li")).to_have_text(["Alfateamet", "Betagruppen"])
    axe_check("chair: ballot, cast (sv)")
    assert Ballot.objects.get(juror=chair).submitted_at is not None

    jury_home.click()
    page.get_by_role("link", name="Slutomröstning", exact=True).click()
    expect(page).to_have_url(f"{site_url}/jury/{year}/vote/")
    axe_check("chair: the final vote (sv)")
    page.get_by_role("link", name="Registrera juryns beslut").click()
    expect(page).to_have_url(f"{site_url}/jury/{year}/decision/")
    expect(page.get_by_role("radio", name="Alfateamet")).to_be_checked()
    page.get_by_label("Protokoll").fill("Juryn enades om Alfateamet.")
    page.get_by_role("button", name="Registrera beslutet").click()
    expect(page.locator(".decision-winner")).to_have_text("Alfateamet")
    axe_check("chair: the decision recorded (sv)")
    assert Decision.objects.get(edition=chair.edition).winner.name == "Alfateamet"


def test_a_nominator_signs_in_nominates_edits_withdraws_and_submits_again(
    live_server, page, mail_sink, site_url, celery_worker, axe_check
):
    edition = EditionFactory()  # open for nominations now, and the latest
    email = "nominator@example.org"

    sign_in_by_link(page, site_url, mail_sink, email)
    expect(page).to_have_url(site_url + "/nominations/")
    axe_check("nominator: my nominations, none (sv)")

    page.get_by_role("navigation").get_by_role("link", name="Nominera", exact=True).click()
    expect(page).to_have_url(site_url + "/call/")
    page.get_by_role("button", name="Påbörja en nominering").click()
    nomination = Nomination.objects.get(nominator__email=email)
    expect(page).to_have_url(f"{site_url}/nominations/{nomination.pk}/edit/")
    page.get_by_label("Namn på den nominerade organisationen").fill("Relationsvåldsteamet Solna")
    page.get_by_role("radio", name="Kommun eller kommunal verksamhet").check()
    page.get_by_role("checkbox", name="Solna", exact=True).check()
    page.get_by_role("checkbox", name="Våld i nära relationer", exact=True).check()
    page.get_by_label("Skäl till nomineringen").fill("Stöd samma dag, i tio år.")
    page.get_by_role("button", name="Spara utkast").click()
    expect(page.get_by_role("status").filter(has_text="Dina ändringar är sparade.")).to_be_visible()
    axe_check("nominator: draft saved (sv)")

    page.get_by_label("Nominerande organisation").fill("Föreningen Tryggare Hem")
    page.get_by_role("textbox", name=re.compile(r"^Organisationsnummer")).fill(
        valid_organisation_number(4711)
    )
    page.get_by_label("Kontaktperson").fill("Kim Kontakt")
    page.get_by_label("E-post *", exact=True).fill(email)
    page.get_by_role("checkbox", name="Jag samtycker").check()
    page.get_by_role("button", name="Skicka in nomineringen").click()
    expect(page).to_have_url(f"{site_url}/nominations/{nomination.pk}/")
    expect(page.locator(".nomination-status")).to_have_text("Inskickad")
    axe_check("nominator: receipt (sv)")

    page.get_by_role("link", name="Ändra nomineringen").click()
    page.get_by_label("Skäl till nomineringen").fill("Stöd samma dag, i elva år nu.")
    page.get_by_role("button", name="Spara ändringar").click()
    expect(page.get_by_role("status").filter(has_text="Dina ändringar är sparade.")).to_be_visible()
    page.get_by_role("navigation").get_by_role("link", name="Mina nomineringar").click()
    page.get_by_role("link", name="Relationsvåldsteamet Solna").click()
    expect(page.get_by_text("Stöd samma dag, i elva år nu.")).to_be_visible()
    axe_check("nominator: changed, submitted (sv)")

    page.get_by_role("link", name="Återkalla nomineringen").click()
    expect(page.get_by_text("Du kan skicka in den igen")).to_be_visible()
    axe_check("nominator: withdraw? (sv)")
    page.get_by_role("button", name="Återkalla nomineringen").click()
    expect(page.get_by_role("status")).to_contain_text("Nomineringen är återkallad.")
    expect(page).to_have_url(site_url + "/nominations/")
    row = page.get_by_role("row").filter(has_text="Relationsvåldsteamet Solna")
    expect(row.get_by_role("cell").nth(3)).to_have_text("Återkallad")
    row.get_by_role("link", name="Relationsvåldsteamet Solna").click()
    expect(page.locator(".nomination-status")).to_have_text("Återkallad")
    axe_check("nominator: withdrawn (sv)")
    nomination.refresh_from_db()
    assert nomination.status == Nomination.Status.WITHDRAWN

    page.get_by_role("link", name="Skicka in den igen").click()
    page.get_by_role("button", name="Skicka in nomineringen").click()
    expect(page).to_have_url(f"{site_url}/nominations/{nomination.pk}/")
    expect(page.locator(".nomination-status")).to_have_text("Inskickad")
    axe_check("nominator: submitted again (sv)")
    nomination.refresh_from_db()
    assert nomination.status == Nomination.Status.SUBMITTED
    assert nomination.motivation == "Stöd samma dag, i elva år nu."
    assert nomination.reference_number == f"KFP-{edition.year}-0001"
