"""axe on every page of every role, in Swedish and in English, with and without errors.

The journeys (test_nominator_journey.py, test_jury_journey.py) check the pages they pass; this
file visits the rest, and each form in its error state: there the error summary must also
have the focus, so that a screen reader reads it at once (WCAG 3.3.1, 4.1.3).
"""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from jury.models import ConflictDeclaration
from jury.services import vote
from tests.browser.test_jury_journey import jury_at_work, scores_in_the_database
from tests.factories import (
    EditionFactory,
    JurorFactory,
    NominationFactory,
    SecretariatFactory,
    UserFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LANGUAGES = [("sv", ""), ("en", "/en")]
# Long enough to push a table wider than 320 px if it could not wrap or scroll in its box.
LONG_NAME = "Relationsvåldsteamet vid socialförvaltningen i Sundbybergs stad och Solna"


def visit(page, axe_check, url: str, label: str, status: int = 200) -> None:
    response = page.goto(url)
    assert response.status == status, f"{label}: {url} answered {response.status}"
    axe_check(label)


def expect_focused_summary(page) -> None:
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    expect(summary).to_have_attribute("role", "alert")


@pytest.mark.parametrize(("language", "prefix"), LANGUAGES)
def test_visitor_pages(live_server, page, axe_check, language, prefix):
    EditionFactory()
    site = live_server.url + prefix
    for path, label in [
        ("/", "home"),
        ("/call/", "call for nominations"),
        ("/prize/", "past winners"),
        ("/prize/2023/", "the 2023 winner"),
        ("/privacy/", "privacy notice"),
        ("/accessibility/", "accessibility statement"),
        ("/signin/", "sign-in form"),
        ("/subscribe/", "news subscription form"),
    ]:
        visit(page, axe_check, site + path, f"visitor: {label} ({language})")
    visit(
        page,
        axe_check,
        site + "/unsubscribe/not-a-token/",
        f"visitor: unsubscribe, a broken link ({language})",
        status=400,
    )

    visit(page, axe_check, site + "/no-such-page/", f"visitor: 404 ({language})", status=404)
    expect(page.get_by_role("navigation", name={"sv": "Huvudmeny", "en": "Main menu"}[language]))
    expect(page.get_by_role("contentinfo").get_by_role("link").nth(1)).to_have_text(
        {"sv": "Tillgänglighetsredogörelse", "en": "Accessibility statement"}[language]
    )

    page.goto(site + "/signin/")
    page.get_by_role("button").filter(has_text={"sv": "Skicka", "en": "Send"}[language]).click()
    expect_focused_summary(page)
    axe_check(f"visitor: sign-in form, no address ({language})")

    page.goto(site + "/subscribe/")
    page.get_by_role("main").get_by_role("button").click()
    expect_focused_summary(page)
    axe_check(f"visitor: news subscription form, no address ({language})")


@pytest.mark.parametrize(("language", "prefix"), LANGUAGES)
def test_nominator_pages(live_server, page, sign_in, axe_check, language, prefix):
    edition = EditionFactory()
    user = sign_in(UserFactory())
    draft = NominationFactory(edition=edition, nominator=user, nominee_name=LONG_NAME)
    submitted = NominationFactory(edition=edition, nominator=user, submitted=True)
    site = live_server.url + prefix
    visit(page, axe_check, site + "/nominations/", f"nominator: my nominations ({language})")
    visit(page, axe_check, f"{site}/nominations/{draft.pk}/", f"nominator: a draft ({language})")
    visit(
        page,
        axe_check,
        f"{site}/nominations/{submitted.pk}/",
        f"nominator: a submitted nomination ({language})",
    )
    visit(
        page,
        axe_check,
        f"{site}/nominations/{draft.pk}/withdraw/",
        f"nominator: delete a draft? ({language})",
    )
    visit(page, axe_check, f"{site}/nominations/{draft.pk}/edit/", f"nominator: form ({language})")
    page.get_by_label({"sv": "Kontaktperson", "en": "Contact person"}[language]).fill("")
    page.locator("[name=submit]").click()
    expect_focused_summary(page)
    axe_check(f"nominator: form, submission refused ({language})")

    # Another's nomination is a 404; a nomination past the deadline cannot be withdrawn (403).
    other = NominationFactory(edition=edition)
    visit(
        page,
        axe_check,
        f"{site}/nominations/{other.pk}/",
        f"nominator: another's nomination, 404 ({language})",
        status=404,
    )
    edition.nominations_close_at = timezone.now() - timedelta(minutes=1)
    edition.save(update_fields=["nominations_close_at"])
    visit(
        page,
        axe_check,
        f"{site}/nominations/{submitted.pk}/withdraw/",
        f"nominator: withdrawing after the deadline, 403 ({language})",
        status=403,
    )
    expect(page.get_by_role("heading", level=1)).to_have_text(
        {"sv": "Inte tillåtet", "en": "Not allowed"}[language]
    )


@pytest.fixture
def jury_edition():
    return jury_at_work(LONG_NAME, "Betagruppen", members=1)


@pytest.mark.parametrize(("language", "prefix"), LANGUAGES)
def test_juror_and_chair_pages(
    live_server, page, sign_in, axe_check, jury_edition, language, prefix
):
    # The English journey checks these pages on its way (test_jury_journey.py); here each
    # is seen in both languages, with the chart, and with every form's errors.
    edition, (first, second) = jury_edition["edition"], jury_edition["nominees"]
    chair, member = jury_edition["chair"], jury_edition["member"]
    site = f"{live_server.url}{prefix}/jury/{edition.year}"

    sign_in(member.user)
    visit(page, axe_check, f"{live_server.url}{prefix}/jury/", f"juror: jury home ({language})")
    visit(page, axe_check, f"{site}/conflicts/", f"juror: conflicts ({language})")
    # A conflict ticked without a reason.
    page.locator(f'fieldset[data-nominee="{first.pk}"]').get_by_role("checkbox").check()
    page.locator("#conflicts-form button[type=submit]").click()
    expect_focused_summary(page)
    reason = page.locator(f'fieldset[data-nominee="{first.pk}"]').get_by_role("textbox")
    expect(reason).to_have_attribute("aria-invalid", "true")
    axe_check(f"juror: conflicts, a reason missing ({language})")
    visit(page, axe_check, f"{site}/nominees/", f"juror: nominees to score ({language})")
    visit(page, axe_check, f"{site}/nominees/{first.pk}/", f"juror: scoring a nominee ({language})")

    ConflictDeclaration.objects.filter(juror__edition=edition).delete()
    criteria = jury_edition["criteria"]
    scores_in_the_database(member, criteria, {first: 4, second: 3})
    scores_in_the_database(chair, criteria, {first: 5, second: 2})

    sign_in(chair.user)
    visit(page, axe_check, f"{site}/results/", f"chair: results with the chart ({language})")
    expect(page.locator("svg.score-chart .score-box")).to_have_count(2)
    visit(page, axe_check, f"{site}/conflicts/rulings/", f"chair: rulings ({language})")
    visit(page, axe_check, f"{site}/shortlist/", f"chair: shortlist ({language})")
    page.locator("#shortlist-form button[type=submit]").click()
    expect_focused_summary(page)
    axe_check(f"chair: shortlist, none chosen ({language})")
    vote.set_shortlist(edition=edition, nominees=[first, second], by=chair.user)
    visit(page, axe_check, f"{site}/ballot/", f"chair: ballot ({language})")
    page.locator("#ballot-form [type=submit]").click()
    expect_focused_summary(page)
    axe_check(f"chair: ballot, nobody ranked ({language})")
    vote.cast_ballot(juror=member, ranking_groups=[[first.pk], [second.pk]])
    vote.cast_ballot(juror=chair, ranking_groups=[[first.pk], [second.pk]])
    visit(page, axe_check, f"{site}/vote/", f"chair: the final vote ({language})")
    visit(page, axe_check, f"{site}/decision/", f"chair: the decision form ({language})")
    page.locator("#decision-form [type=submit]").click()
    expect_focused_summary(page)
    axe_check(f"chair: the decision form, no minutes ({language})")


@pytest.mark.parametrize(("language", "prefix"), LANGUAGES)
def test_secretariat_pages(live_server, page, sign_in, axe_check, language, prefix):
    now = timezone.now()
    edition = EditionFactory(
        nominations_open_at=now - timedelta(days=60), nominations_close_at=now - timedelta(days=1)
    )
    nomination = NominationFactory(submitted=True, edition=edition, nominee_name=LONG_NAME)
    JurorFactory(edition=edition, user__first_name="Maja", user__last_name="Medlem")
    sign_in(SecretariatFactory())
    root = live_server.url + prefix
    visit(page, axe_check, f"{root}/screening/", f"secretariat: screening list ({language})")
    visit(
        page,
        axe_check,
        f"{root}/screening/{nomination.pk}/",
        f"secretariat: screening a nomination ({language})",
    )
    page.get_by_role("radio").last.check()
    page.locator(".screening-decision [type=submit]").click()
    expect_focused_summary(page)
    axe_check(f"secretariat: screening, a reason missing ({language})")
    visit(page, axe_check, f"{root}/prize/overview/", f"secretariat: the year ({language})")
    visit(
        page,
        axe_check,
        f"{root}/jury/{edition.year}/manage/",
        f"secretariat: the jury admin page ({language})",
    )
    invite = page.locator("#invite-heading ~ form")
    # The browser's own checks would stop the form before the server sees it.
    invite.evaluate("form => { form.noValidate = true; }")
    invite.locator("[type=submit]").click()
    expect_focused_summary(page)
    axe_check(f"secretariat: inviting a juror, no address ({language})")
