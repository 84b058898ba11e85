"""The jury's journey through the real stack: Chromium, the live server, PostgreSQL.

A juror declares one conflict of interest, scores the other candidates, watches the progress
bar move and submits; the conflicted nomination stays closed to them, even by URL. The chair
then reads the results, sets the shortlist, casts a ballot, and records the jury's decision.

The pages are the English ones (/en/), so that the test does not depend on the state of the
Swedish catalogue. People sign in through `sign_in`: this journey is not about signing in.
"""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from jury.models import Assignment, Ballot, ConflictDeclaration, Decision, Juror, Score
from jury.services import vote
from tests.factories import (
    ChairFactory,
    CriterionFactory,
    EditionFactory,
    JurorFactory,
    eligible_nominees,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REASON = "Jag sitter i styrelsen för Gammamottagningen."
MINUTES = "Juryn sammanträdde den 3 mars. Närvarande: alla. Beslutet var enhälligt."


def jury_at_work(*nominee_names: str, members: int) -> dict:
    """An edition whose jury is scoring: two criteria, a candidate for each name, the chair
    (Cecilia Ordf) and `members` members (Maja, then Mats, Medlem), each juror assigned every
    candidate."""
    edition = EditionFactory(scoring=True, scoring_deadline=timezone.now() + timedelta(days=20))
    criteria = [
        CriterionFactory(edition=edition, name="Långsiktighet", name_en="Long-term work"),
        CriterionFactory(edition=edition, name="Samverkan", name_en="Collaboration"),
    ]
    nominees = eligible_nominees(edition, *nominee_names)
    chair = ChairFactory(edition=edition, user__first_name="Cecilia", user__last_name="Ordf")
    jurors = [chair] + [
        JurorFactory(edition=edition, user__first_name=first_name, user__last_name="Medlem")
        for first_name in ("Maja", "Mats")[:members]
    ]
    for juror in jurors:
        Assignment.objects.bulk_create(Assignment(juror=juror, nominee=n) for n in nominees)
    return {
        "edition": edition,
        "criteria": criteria,
        "nominees": nominees,
        "chair": chair,
        "member": jurors[1],
        "other": jurors[2] if members > 1 else None,
    }


@pytest.fixture
def jury():
    return jury_at_work("Alfateamet", "Betagruppen", "Gammamottagningen", members=2)


def scores_in_the_database(juror: Juror, criteria, marks: dict) -> None:
    """The juror's scores, `{nominee: value}` on every criterion, submitted."""
    Score.objects.bulk_create(
        Score(juror=juror, nominee=nominee, criterion=criterion, value=value)
        for nominee, value in marks.items()
        for criterion in criteria
    )
    juror.scores_submitted_at = timezone.now()
    juror.save(update_fields=["scores_submitted_at"])


def test_juror_scores_around_a_conflict_and_the_chair_decides(
    live_server, page, sign_in, jury, axe_check
):
    edition, criteria = jury["edition"], jury["criteria"]
    alfa, beta, gamma = jury["nominees"]
    member, other, chair = jury["member"], jury["other"], jury["chair"]
    site = f"{live_server.url}/en/jury/{edition.year}"

    # --- The member declares a conflict on Gammamottagningen and none on the others.
    sign_in(member.user)
    page.goto(f"{site}/conflicts/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Conflicts of interest, Kvinnofridspriset {edition.year}"
    )
    axe_check("juror: conflicts of interest, undeclared (en)")
    conflicted = page.locator(f'fieldset[data-nominee="{gamma.pk}"]')
    # A screen reader hears which nominee each tick box is about: the group has its name.
    expect(page.get_by_role("group", name=gamma.name)).to_have_attribute(
        "data-nominee", str(gamma.pk)
    )
    # Each candidate's box holds one tick box and one reason: found by role, not by wording.
    conflicted.get_by_role("checkbox").check()
    conflicted.get_by_role("textbox").fill(REASON)
    for nominee in (alfa, beta):
        expect(
            page.locator(f'fieldset[data-nominee="{nominee.pk}"]').get_by_role("checkbox")
        ).not_to_be_checked()
    page.get_by_role("button", name="Save my declarations").click()
    expect(page.get_by_role("status")).to_contain_text("Thank you: your declarations are saved.")
    axe_check("juror: conflicts of interest, saved (en)")
    assert sorted(
        ConflictDeclaration.objects.filter(juror=member).values_list(
            "nominee__name", "conflicted", "reason", "ruling"
        )
    ) == [
        ("Alfateamet", False, "", "pending"),
        ("Betagruppen", False, "", "pending"),
        ("Gammamottagningen", True, REASON, "pending"),
    ]

    # --- They score the other two; the progress bar moves with each.
    page.goto(f"{site}/nominees/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Score the nominees of Kvinnofridspriset {edition.year}"
    )
    progress = page.get_by_role("progressbar")
    expect(progress).to_have_attribute("aria-valuenow", "0")
    expect(progress).to_have_attribute("aria-valuemax", "2")
    expect(page.locator(".scoring-progress-text")).to_have_text("0 of 2 nominees scored")
    axe_check("juror: nominees to score, none scored (en)")
    conflicted_row = page.locator(f'tr[data-nominee="{gamma.pk}"]')
    expect(conflicted_row).to_have_attribute("data-state", "conflicted")
    expect(conflicted_row.get_by_role("link")).to_have_count(0)

    for scored, (nominee, value) in enumerate([(alfa, 5), (beta, 3)], start=1):
        page.get_by_role("link", name=nominee.name, exact=True).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(nominee.name)
        axe_check(f"juror: scoring {nominee.name} (en)")
        for criterion in criteria:
            page.locator(f'[data-criterion="{criterion.pk}"]').get_by_role(
                "radio", name=f"{value} – ", exact=False
            ).check()
        page.get_by_role("button", name="Save and go back to the list").click()
        expect(page).to_have_url(f"{site}/nominees/")
        expect(progress).to_have_attribute("aria-valuenow", str(scored))
        expect(page.locator(".scoring-progress-text")).to_have_text(
            f"{scored} of 2 nominees scored"
        )
        expect(page.locator(f'tr[data-nominee="{nominee.pk}"]')).to_have_attribute(
            "data-state", "scored"
        )

    page.get_by_role("button", name="Submit my scores").click()
    expect(page.get_by_role("status").filter(has_text="Your scores are submitted")).to_be_visible()
    axe_check("juror: nominees to score, submitted (en)")
    member.refresh_from_db()
    assert member.scores_submitted_at is not None
    assert sorted(Score.objects.filter(juror=member).values_list("nominee__name", "value")) == [
        ("Alfateamet", 5),
        ("Alfateamet", 5),
        ("Betagruppen", 3),
        ("Betagruppen", 3),
    ]

    # --- The conflicted nomination cannot be opened, not even by its URL.
    response = page.goto(f"{site}/nominees/{gamma.pk}/")
    assert response.status == 404
    assert gamma.name not in page.content()
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    axe_check("juror: a conflicted nominee, not found (en)")

    # --- The other jurors' scores arrive (in the database) and are submitted.
    scores_in_the_database(other, criteria, {alfa: 4, beta: 4, gamma: 2})
    scores_in_the_database(chair, criteria, {alfa: 5, beta: 2, gamma: 3})

    # --- The chair reads the results.
    sign_in(chair.user)
    page.goto(f"{site}/results/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"The jury's results, Kvinnofridspriset {edition.year}"
    )
    # Raw means: Alfateamet (5 + 4 + 5) / 3, Betagruppen (3 + 4 + 2) / 3, Gammamottagningen
    # (2 + 3) / 2: the member's conflict leaves them out of it.
    for nominee, raw_mean, jurors in [
        (alfa, "4.67", "3"),
        (beta, "3.00", "3"),
        (gamma, "2.50", "2"),
    ]:
        row = page.locator(f'tr.candidate[data-nominee="{nominee.pk}"]')
        expect(row.locator(".nominee-name")).to_have_text(nominee.name)
        expect(row.locator(".raw-mean")).to_have_text(raw_mean)
        expect(row.locator(".juror-count")).to_have_text(jurors)
    axe_check("chair: results (en)")

    # --- The shortlist: Alfateamet and Gammamottagningen.
    page.goto(f"{site}/shortlist/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Shortlist of Kvinnofridspriset {edition.year}"
    )
    axe_check("chair: shortlist, none chosen (en)")
    page.get_by_role("checkbox", name="Alfateamet").check()
    page.get_by_role("checkbox", name="Gammamottagningen").check()
    page.get_by_role("button", name="Save the shortlist").click()
    expect(page.get_by_role("status")).to_contain_text("The shortlist is saved: 2 nominees.")
    expect(page.locator(".current-shortlist li")).to_have_text(["Alfateamet", "Gammamottagningen"])
    axe_check("chair: shortlist, saved (en)")

    # --- Ballots: the members' through the service, the chair's on the page. The member is
    # conflicted on Gammamottagningen: their ballot abstains on it, for and against.
    vote.cast_ballot(juror=member, ranking_groups=[[alfa.pk]])
    vote.cast_ballot(juror=other, ranking_groups=[[alfa.pk], [gamma.pk]])
    page.goto(f"{site}/ballot/")
    axe_check("chair: ballot, not cast (en)")
    page.get_by_label("Alfateamet").select_option("1")
    page.get_by_label("Gammamottagningen").select_option("2")
    page.get_by_role("button", name="Cast my ballot").click()
    expect(page.get_by_role("status")).to_contain_text("Your ballot has been cast.")
    axe_check("chair: ballot, cast (en)")
    assert Ballot.objects.get(juror=chair).ranking == [[alfa.pk], [gamma.pk]]

    # --- The count: Alfateamet above Gammamottagningen on the two ballots that may compare
    # them; the conflicted member's ballot counts for neither.
    page.goto(f"{site}/vote/")
    expect(page.locator(".ballot-count")).to_have_text("3 of 3 jurors have cast a ballot.")
    expect(page.locator(".schulze-winner")).to_have_text("Winner: Alfateamet")
    axe_check("chair: the final vote (en)")
    preferences = page.get_by_role("table", name="d[x][y]")
    expect(preferences.get_by_role("row")).to_have_text(
        [
            "Alfateamet Gammamottagningen",
            "Alfateamet – 2",
            "Gammamottagningen 0 –",
        ],
        use_inner_text=True,
    )

    # --- The decision, with the vote's winner preselected.
    page.get_by_role("link", name="Record the jury's decision").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"The jury's decision, Kvinnofridspriset {edition.year}"
    )
    expect(page.get_by_role("radio", name="Alfateamet")).to_be_checked()
    axe_check("chair: the decision form (en)")
    page.get_by_role("group", name="Honourable mentions").get_by_role(
        "checkbox", name="Betagruppen"
    ).check()
    page.get_by_label("Minutes").fill(MINUTES)
    page.get_by_role("button", name="Record the decision").click()

    expect(page.get_by_role("status")).to_contain_text("The jury's decision has been recorded.")
    expect(page.locator(".decision-winner")).to_have_text("Alfateamet")
    expect(page.locator(".decision-mentions")).to_have_text("Betagruppen")
    expect(page.locator(".decision-minutes")).to_have_text(MINUTES)
    axe_check("chair: the decision recorded (en)")
    expect(page.get_by_role("button", name="Record the decision")).to_have_count(0)
    decision = Decision.objects.get(edition=edition)
    assert decision.winner == alfa
    assert list(decision.honourable_mentions.all()) == [beta]
    assert decision.minutes == MINUTES
    assert decision.decided_by == chair.user
    edition.refresh_from_db()
    assert edition.decided_at == decision.decided_at
