"""The final round: shortlist, ballots, the count on the vote page and the jury's decision."""

import re
from html import unescape
from html.parser import HTMLParser

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from reportlab.platypus import Paragraph

from jury import reports
from jury.models import Ballot, ConflictDeclaration, Decision, ShortlistEntry
from jury.selectors import vote as vote_selectors
from jury.services import vote
from nominations.models import Nomination
from tests.factories import (
    ChairFactory,
    CriterionFactory,
    EditionFactory,
    JurorFactory,
    NominationFactory,
    ScoreFactory,
    eligible_nominee,
)
from tests.helpers import assert_sent_to_sign_in
from tests.helpers import jury_url as url

pytestmark = pytest.mark.django_db


class TableParser(HTMLParser):
    """The text of every cell of every table with an id: {id: [[cell, ...], ...]}."""

    def __init__(self):
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self._table = self._row = self._cell = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "table" and attributes.get("id"):
            self._table = attributes["id"]
            self.tables[self._table] = []
        elif tag == "tr" and self._table:
            self._row = []
        elif tag in {"td", "th"} and self._row is not None:
            self._cell = []

    def handle_endtag(self, tag):
        if tag in {"td", "th"} and self._cell is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.tables[self._table].append(self._row)
            self._row = None
        elif tag == "table":
            self._table = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def tables(response) -> dict[str, list[list[str]]]:
    parser = TableParser()
    parser.feed(response.content.decode())
    return parser.tables


def text(response) -> str:
    """The page's text with whitespace collapsed, for assertions on sentences."""
    return " ".join(response.content.decode().split())


# --- Fixtures ----------------------------------------------------------------------------------


@pytest.fixture
def edition():
    """An edition whose screening is completed: the jury is at work."""
    return EditionFactory(scoring=True, scoring_opened_at=None)


def candidate(edition, name: str):
    return eligible_nominee(edition, nominee_name=name)


@pytest.fixture
def alfa(edition):
    return candidate(edition, "Alfateamet")


@pytest.fixture
def beta(edition):
    return candidate(edition, "Betagruppen")


@pytest.fixture
def gamma(edition):
    return candidate(edition, "Gammamottagningen")


@pytest.fixture
def member(edition):
    return JurorFactory(edition=edition, user__first_name="Maja", user__last_name="Medlem")


@pytest.fixture
def second_member(edition):
    return JurorFactory(edition=edition, user__first_name="Mats", user__last_name="Medlem")


@pytest.fixture
def shortlisted(edition, alfa, beta, gamma):
    for nominee in (alfa, beta, gamma):
        ShortlistEntry.objects.create(edition=edition, nominee=nominee)
    return [alfa, beta, gamma]


def cast(juror, *groups):
    return Ballot.objects.create(
        juror=juror,
        ranking=[[nominee.pk for nominee in group] for group in groups],
        submitted_at=timezone.now(),
    )


def score(juror, values: dict, criterion):
    for nominee, value in values.items():
        ScoreFactory(juror=juror, nominee=nominee, criterion=criterion, value=value)


# --- Who may see which page ---------------------------------------------------------------------

VIEWS = ["shortlist", "ballot", "vote", "decision"]
# (view, role) → allowed. The lead pages are the chair's and the secretariat's; the ballot
# is every juror's; the decision is the chair's alone.
ALLOWED = {
    "shortlist": {"secretariat", "chair"},
    "ballot": {"member", "chair"},
    "vote": {"secretariat", "chair"},
    "decision": {"chair"},
}
HEADINGS = {
    "shortlist": "Shortlist of Kvinnofridspriset {year}",
    "ballot": "Your ballot, Kvinnofridspriset {year}",
    "vote": "The final vote, Kvinnofridspriset {year}",
    "decision": "The jury's decision, Kvinnofridspriset {year}",
}


@pytest.fixture
def people(chair, member, secretariat, outsider):
    return {
        "chair": chair.user,
        "member": member.user,
        "secretariat": secretariat,
        "outsider": outsider,
    }


@pytest.mark.parametrize("view", VIEWS)
def test_vote_views_send_anonymous_visitors_to_sign_in(client, edition, view):
    path = url(view, edition.year)

    response = client.get(path)

    assert_sent_to_sign_in(response, path)


@pytest.mark.parametrize("view", VIEWS)
@pytest.mark.parametrize("role", ["outsider", "member", "secretariat", "chair"])
def test_vote_views_allow_only_their_roles(client, edition, shortlisted, people, view, role):
    client.force_login(people[role])

    response = client.get(url(view, edition.year))

    if role in ALLOWED[view]:
        assert response.status_code == 200
        assert f"<h1>{HEADINGS[view].format(year=edition.year)}</h1>" in response.content.decode()
    else:
        # Someone with no part in this jury is not told it exists; a wrong role is refused.
        assert response.status_code == (404 if role == "outsider" else 403)


@pytest.mark.parametrize("view", VIEWS)
def test_vote_views_404_for_an_unknown_year(client, chair, view):
    client.force_login(chair.user)

    assert client.get(url(view, 1999)).status_code == 404


def test_a_member_cannot_set_the_shortlist(client, edition, member, alfa, beta):
    client.force_login(member.user)

    response = client.post(url("shortlist", edition.year), {"nominees": [alfa.pk, beta.pk]})

    assert response.status_code == 403
    assert not ShortlistEntry.objects.exists()


def test_the_secretariat_cannot_record_the_decision(client, edition, shortlisted, secretariat):
    client.force_login(secretariat)

    response = client.post(
        url("decision", edition.year), {"winner": shortlisted[0].pk, "minutes": "Enhälligt."}
    )

    assert response.status_code == 403
    assert not Decision.objects.exists()
    edition.refresh_from_db()
    assert edition.decided_at is None


def test_a_juror_of_another_edition_cannot_cast_a_ballot_here(client, edition, shortlisted):
    other = JurorFactory(edition=EditionFactory())
    client.force_login(other.user)

    response = client.post(url("ballot", edition.year), {f"rank_{shortlisted[0].pk}": "1"})

    assert response.status_code == 404
    assert not Ballot.objects.exists()


# --- The shortlist -------------------------------------------------------------------------------


def test_shortlist_page_shows_each_candidates_means(
    client, edition, chair, member, alfa, beta, gamma
):
    criterion = CriterionFactory(edition=edition)
    # member: 5, 3, 1 → mean 3, sd √(8/3): z = +1.2247, 0, −1.2247
    # chair:  4, 4, 2 → mean 10/3, sd √(8/9): z = +0.7071, +0.7071, −1.4142
    # normalised: alfa 0.97, beta 0.35, gamma −1.32; raw: 4.50, 3.50, 1.50
    score(member, {alfa: 5, beta: 3, gamma: 1}, criterion)
    score(chair, {alfa: 4, beta: 4, gamma: 2}, criterion)
    client.force_login(chair.user)

    response = client.get(url("shortlist", edition.year))

    assert tables(response)["candidates"] == [
        [
            "Shortlisted",
            "Nominee",
            "Normalised mean",
            "Rank by normalised mean",
            "Raw mean",
            "Jurors who scored",
        ],
        ["", "Alfateamet", "0.97", "1", "4.50", "2"],
        ["", "Betagruppen", "0.35", "2", "3.50", "2"],
        ["", "Gammamottagningen", "-1.32", "3", "1.50", "2"],
    ]
    assert '<label for="id_nominees_0">Alfateamet</label>' in response.content.decode()


def test_shortlist_figures_leave_out_scores_given_despite_a_conflict(
    client, edition, chair, member, alfa, beta, gamma
):
    criterion = CriterionFactory(edition=edition)
    score(member, {alfa: 5, beta: 3, gamma: 1}, criterion)
    score(chair, {alfa: 4, beta: 4, gamma: 2}, criterion)
    # Given before the conflict was declared: the member's 1 for gamma no longer counts.
    ConflictDeclaration.objects.create(juror=member, nominee=gamma, conflicted=True)
    client.force_login(chair.user)

    response = client.get(url("shortlist", edition.year))

    # member: 5, 3 → z +1, −1; chair as before: z +0.7071, +0.7071, −1.4142
    assert tables(response)["candidates"][1:] == [
        ["", "Alfateamet", "0.85", "1", "4.50", "2"],
        ["", "Betagruppen", "-0.15", "2", "3.50", "2"],
        ["", "Gammamottagningen", "-1.41", "3", "2.00", "1"],
    ]


def test_chair_sets_the_shortlist(client, edition, chair, alfa, beta, gamma):
    client.force_login(chair.user)

    response = client.post(
        url("shortlist", edition.year), {"nominees": [alfa.pk, gamma.pk]}, follow=True
    )

    assert set(ShortlistEntry.objects.values_list("nominee_id", flat=True)) == {alfa.pk, gamma.pk}
    assert "The shortlist is saved: 2 nominees." in text(response)
    assert (
        '<ul class="current-shortlist"> <li>Alfateamet</li> <li>Gammamottagningen</li> </ul>'
        in text(response)
    )


def test_secretariat_changes_the_shortlist(client, edition, secretariat, shortlisted, alfa, beta):
    client.force_login(secretariat)

    client.post(url("shortlist", edition.year), {"nominees": [alfa.pk, beta.pk]})

    assert set(ShortlistEntry.objects.values_list("nominee_id", flat=True)) == {alfa.pk, beta.pk}


def test_shortlist_needs_at_least_two(client, edition, chair, alfa):
    client.force_login(chair.user)

    response = client.post(url("shortlist", edition.year), {"nominees": [alfa.pk]})

    assert response.status_code == 200
    assert "Choose at least 2 nominees for the shortlist." in text(response)
    assert not ShortlistEntry.objects.exists()


def test_shortlist_only_takes_candidates(client, edition, chair, alfa, beta):
    not_eligible = NominationFactory(
        submitted=True, edition=edition, status=Nomination.Status.NOT_ELIGIBLE
    ).nominee
    client.force_login(chair.user)

    response = client.post(url("shortlist", edition.year), {"nominees": [alfa.pk, not_eligible.pk]})

    assert response.status_code == 200
    assert f"Select a valid choice. {not_eligible.pk} is not one of the available choices." in text(
        response
    )
    assert not ShortlistEntry.objects.exists()
    with pytest.raises(ValidationError):
        vote.set_shortlist(edition=edition, nominees=[alfa, beta, not_eligible], by=chair.user)
    assert not ShortlistEntry.objects.exists()


def test_shortlist_is_locked_once_a_ballot_is_cast(client, edition, chair, shortlisted, alfa, beta):
    cast(chair, [alfa], [beta])
    client.force_login(chair.user)

    page = client.get(url("shortlist", edition.year))
    response = client.post(
        url("shortlist", edition.year), {"nominees": [alfa.pk, beta.pk]}, follow=True
    )

    assert "Ballots have been cast: the shortlist can no longer be changed." in text(page)
    assert 'type="checkbox"' not in page.content.decode()
    assert "Ballots have been cast: the shortlist can no longer be changed." in text(response)
    assert ShortlistEntry.objects.count() == 3


def test_shortlist_is_locked_once_decided(edition, chair, shortlisted, alfa, beta):
    edition.decided_at = timezone.now()
    edition.save()

    with pytest.raises(vote.VoteNotAllowed, match="has made its decision"):
        vote.set_shortlist(edition=edition, nominees=[alfa, beta], by=chair.user)
    assert ShortlistEntry.objects.count() == 3


def test_shortlist_waits_for_screening(chair, alfa, beta):
    edition = alfa.edition
    edition.screening_completed_at = None
    edition.save()

    with pytest.raises(vote.VoteNotAllowed, match="once screening is completed"):
        vote.set_shortlist(edition=edition, nominees=[alfa, beta], by=chair.user)


# --- Ballots -------------------------------------------------------------------------------------


def test_ballot_stores_ties_and_leaves_unranked_below(client, edition, member, shortlisted):
    alfa, beta, gamma = shortlisted
    client.force_login(member.user)

    response = client.post(
        url("ballot", edition.year),
        {f"rank_{alfa.pk}": "2", f"rank_{beta.pk}": "1", f"rank_{gamma.pk}": "2"},
        follow=True,
    )

    ballot = Ballot.objects.get(juror=member)
    assert ballot.ranking == [[beta.pk], sorted([alfa.pk, gamma.pk])]
    assert ballot.submitted_at is not None
    assert "Your ballot has been cast." in text(response)

    client.post(url("ballot", edition.year), {f"rank_{alfa.pk}": "1", f"rank_{beta.pk}": "3"})

    ballot.refresh_from_db()
    assert ballot.ranking == [[alfa.pk], [beta.pk]]
    response = client.get(url("ballot", edition.year))
    assert '<ol class="my-ranking"> <li>Alfateamet</li> <li>Betagruppen</li> </ol>' in text(
        response
    )
    assert "Not ranked (below all you ranked): Gammamottagningen" in text(response)
    # The form shows the stored ranks.
    assert '<option value="1" selected>1</option>' in response.content.decode()


def test_ballot_with_nothing_ranked_is_refused(client, edition, member, shortlisted):
    client.force_login(member.user)

    response = client.post(url("ballot", edition.year), {})

    assert response.status_code == 200
    assert "Rank at least one nominee." in text(response)
    assert not Ballot.objects.exists()


def test_ballot_waits_for_the_shortlist(client, edition, member, alfa):
    client.force_login(member.user)

    page = client.get(url("ballot", edition.year))
    response = client.post(url("ballot", edition.year), {f"rank_{alfa.pk}": "1"}, follow=True)

    assert "The shortlist has not been set yet." in text(page)
    assert "<select" not in page.content.decode()
    assert "The shortlist has not been set yet." in text(response)
    assert not Ballot.objects.exists()


def test_ballot_is_closed_once_decided(client, edition, member, shortlisted):
    alfa, beta, _gamma = shortlisted
    cast(member, [alfa], [beta])
    edition.decided_at = timezone.now()
    edition.save()
    client.force_login(member.user)

    response = client.post(url("ballot", edition.year), {f"rank_{beta.pk}": "1"}, follow=True)

    assert "has made its decision." in text(response)
    assert Ballot.objects.get(juror=member).ranking == [[alfa.pk], [beta.pk]]


def test_ballot_service_refuses_what_is_not_shortlisted_or_twice(edition, member, shortlisted):
    alfa, beta, _gamma = shortlisted
    outside = candidate(edition, "Utanför listan")

    with pytest.raises(ValidationError, match="Only shortlisted nominees can be ranked"):
        vote.cast_ballot(juror=member, ranking_groups=[[alfa.pk], [outside.pk]])
    with pytest.raises(ValidationError, match="A nominee is ranked twice"):
        vote.cast_ballot(juror=member, ranking_groups=[[alfa.pk], [beta.pk, alfa.pk]])
    assert not Ballot.objects.exists()


def test_a_conflicted_juror_cannot_rank_that_nominee(client, edition, member, shortlisted):
    alfa, beta, gamma = shortlisted
    # Awaiting its ruling, the conflict already counts.
    ConflictDeclaration.objects.create(juror=member, nominee=gamma, conflicted=True)
    client.force_login(member.user)

    page = client.get(url("ballot", edition.year))
    client.post(
        url("ballot", edition.year),
        {f"rank_{alfa.pk}": "1", f"rank_{beta.pk}": "2", f"rank_{gamma.pk}": "1"},
    )

    assert f'name="rank_{gamma.pk}"' not in page.content.decode()
    assert f'name="rank_{alfa.pk}"' in page.content.decode()
    assert (
        "You have a conflict of interest regarding Gammamottagningen: you cannot rank it. "
        "Your ballot counts neither for nor against it."
    ) in text(page)
    assert Ballot.objects.get(juror=member).ranking == [[alfa.pk], [beta.pk]]
    with pytest.raises(ValidationError, match="conflict of interest"):
        vote.cast_ballot(juror=member, ranking_groups=[[gamma.pk]])


def test_a_dismissed_conflict_does_not_stop_ranking(edition, member, shortlisted):
    _alfa, _beta, gamma = shortlisted
    ConflictDeclaration.objects.create(
        juror=member, nominee=gamma, conflicted=True, ruling=ConflictDeclaration.Ruling.DISMISSED
    )

    ballot = vote.cast_ballot(juror=member, ranking_groups=[[gamma.pk]])

    assert ballot.ranking == [[gamma.pk]]


def test_the_count_drops_a_nominee_conflicted_after_the_ballot(edition, member, shortlisted):
    alfa, beta, gamma = shortlisted
    cast(member, [gamma], [alfa], [beta])
    ConflictDeclaration.objects.create(juror=member, nominee=gamma, conflicted=True)

    count = vote_selectors.count_vote(edition)

    # Counted as alfa > beta; on gamma the ballot abstains: no comparison with it counts.
    assert count.shortlist == (alfa, beta, gamma)
    assert count.schulze.preferences == ((0, 1, 0), (0, 0, 0), (0, 0, 0))


# --- The count -----------------------------------------------------------------------------------


def test_vote_page_shows_the_matrices_and_the_schulze_winner(
    client, edition, chair, member, second_member, shortlisted
):
    alfa, beta, gamma = shortlisted
    JurorFactory(edition=edition)  # a fourth juror who has not voted
    cast(chair, [alfa], [beta], [gamma])  # A > B > C
    cast(member, [beta], [gamma], [alfa])  # B > C > A
    cast(second_member, [alfa], [gamma])  # A > C, B unranked: below both
    # d[x][y] = ballots ranking x above y:
    #        A  B  C
    #   A    –  2  2      A > B: chair, second member;  A > C: chair, second member
    #   B    1  –  2      B > A: member;                B > C: chair, member
    #   C    1  1  –      C > A: member;                C > B: second member
    # Links (d[x][y] > d[y][x]): A→B 2, A→C 2, B→C 2, so the strongest paths are
    #   p:   A  B  C
    #   A    –  2  2
    #   B    0  –  2
    #   C    0  0  –
    # A beats everyone: A, B, C. First preferences: A 2, B 1, C 0.
    client.force_login(chair.user)

    response = client.get(url("vote", edition.year))

    found = tables(response)
    names = ["Alfateamet", "Betagruppen", "Gammamottagningen"]
    assert found["preferences"] == [
        ["", *names],
        ["Alfateamet", "–", "2", "2"],
        ["Betagruppen", "1", "–", "2"],
        ["Gammamottagningen", "1", "1", "–"],
    ]
    assert found["strongest-paths"] == [
        ["", *names],
        ["Alfateamet", "–", "2", "2"],
        ["Betagruppen", "0", "–", "2"],
        ["Gammamottagningen", "0", "0", "–"],
    ]
    assert found["first-preferences"] == [
        ["Nominee", "First preferences"],
        ["Alfateamet", "2"],
        ["Betagruppen", "1"],
        ["Gammamottagningen", "0"],
    ]
    page = text(response)
    assert "3 of 4 jurors have cast a ballot." in page
    assert '<p class="schulze-winner"><strong>Winner: Alfateamet</strong></p>' in page
    assert (
        '<ol class="schulze-ranking"> <li>Alfateamet</li> <li>Betagruppen</li> '
        "<li>Gammamottagningen</li> </ol>"
    ) in page
    assert (
        '<p class="explanation">Alfateamet wins: its strongest path to every other shortlisted '
        "nominee is at least as strong as the path back, and no other nominee can say the "
        "same.</p>"
    ) in page
    assert "By plurality, Alfateamet would win." in page
    assert (
        "<caption>d[x][y]: ballots ranking the row's nominee above the column's</caption>" in page
    )
    assert '<th scope="row">Alfateamet</th>' in page


def test_vote_page_breaks_a_tie_by_the_normalised_means(client, edition, chair, member, alfa, beta):
    for nominee in (alfa, beta):
        ShortlistEntry.objects.create(edition=edition, nominee=nominee)
    criterion = CriterionFactory(edition=edition)
    # Both jurors score Betagruppen higher: z = +1 for beta, −1 for alfa from each.
    score(chair, {alfa: 1, beta: 5}, criterion)
    score(member, {alfa: 2, beta: 4}, criterion)
    cast(chair, [alfa], [beta])
    cast(member, [beta], [alfa])
    # d = [[–, 1], [1, –]]: no link either way, p is 0 everywhere, both are potential winners.
    client.force_login(chair.user)

    response = client.get(url("vote", edition.year))

    page = text(response)
    assert "<strong>Winner: Betagruppen</strong>" in page
    assert (
        '<p class="explanation">Alfateamet, Betagruppen are tied on their strongest paths. The '
        "tie is broken by the jury's normalised scores, in which Betagruppen comes first.</p>"
    ) in page.replace("&#x27;", "'")
    assert (
        '<ol class="tie-break-order"> <li>Betagruppen (normalised mean 1.00)</li> '
        "<li>Alfateamet (normalised mean -1.00)</li> </ol>"
    ) in page
    assert "By plurality, Alfateamet, Betagruppen would be tied." in page
    assert '<ol class="schulze-ranking"> <li>Alfateamet, Betagruppen (tied)</li> </ol>' in page


def test_tie_break_order_puts_unscored_nominees_last_by_name(edition, shortlisted):
    alfa, beta, gamma = shortlisted
    criterion = CriterionFactory(edition=edition)
    score(JurorFactory(edition=edition), {gamma: 2, beta: 4}, criterion)

    count = vote_selectors.count_vote(edition)

    assert count.tie_break_rows() == [(beta, 1.0), (gamma, -1.0), (alfa, None)]


def test_vote_page_without_ballots(client, edition, secretariat, shortlisted, chair):
    client.force_login(secretariat)

    response = client.get(url("vote", edition.year))

    page = text(response)
    assert "0 of 1 juror has cast a ballot." in page
    assert '<p class="explanation">No ballots have been cast yet: there is no winner.</p>' in page
    assert "Winner:" not in page


def _protocol_vote(edition) -> dict:
    """The protocol's final vote: the winner line, the sentence after it, and each matrix as
    rows of cells without the row labels."""
    with translation.override("en"):
        story = reports.protocol_story(reports.load_protocol(edition))
    found: dict = {}
    heading = None
    for flowable in story:
        if isinstance(flowable, Paragraph):
            heading = flowable.text
            if heading.startswith("Winner of the vote:"):
                found["winner"] = heading
            elif "winner" in found and "explanation" not in found:
                found["explanation"] = heading
        elif heading == "Each cell: how many ballots rank the row's nominee above the column's.":
            found["preferences"] = [[c.text for c in row[1:]] for row in flowable._cellvalues[1:]]
    return found


def _page_vote(client, edition) -> dict:
    response = client.get(url("vote", edition.year))
    page = unescape(text(response))
    return {
        "winner": re.search(r"<strong>Winner: (.*?)</strong>", page).group(1),
        "explanation": re.search(r'<p class="explanation">(.*?)</p>', page).group(1),
        "preferences": [row[1:] for row in tables(response)["preferences"][1:]],
    }


@pytest.mark.parametrize("tied", [False, True])
def test_the_vote_page_and_the_protocol_show_the_one_count(
    client, edition, chair, member, second_member, alfa, beta, tied
):
    for nominee in (alfa, beta):
        ShortlistEntry.objects.create(edition=edition, nominee=nominee)
    criterion = CriterionFactory(edition=edition)
    score(chair, {alfa: 1, beta: 5}, criterion)  # the normalised means put Betagruppen first
    score(member, {alfa: 2, beta: 4}, criterion)
    cast(chair, [alfa], [beta])
    cast(member, *([[beta], [alfa]] if tied else [[alfa], [beta]]))
    # A ballot not submitted counts nowhere: counted, it would give Betagruppen the win outright.
    Ballot.objects.create(juror=second_member, ranking=[[beta.pk], [alfa.pk]])
    client.force_login(chair.user)

    on_the_page = _page_vote(client, edition)
    in_the_protocol = _protocol_vote(edition)

    winner = "Betagruppen" if tied else "Alfateamet"
    assert on_the_page["winner"] == winner
    assert in_the_protocol["winner"] == f"Winner of the vote: {winner}"
    assert on_the_page["explanation"] == in_the_protocol["explanation"]
    assert on_the_page["explanation"] == (
        "Alfateamet, Betagruppen are tied on their strongest paths. The tie is broken by the "
        "jury's normalised scores, in which Betagruppen comes first."
        if tied
        else "Alfateamet wins: its strongest path to every other shortlisted nominee is at "
        "least as strong as the path back, and no other nominee can say the same."
    )
    expected = [["–", "1"], ["1", "–"]] if tied else [["–", "2"], ["0", "–"]]
    assert on_the_page["preferences"] == in_the_protocol["preferences"] == expected


# --- The decision --------------------------------------------------------------------------------


def test_decision_form_preselects_the_schulze_winner(client, edition, chair, member, shortlisted):
    alfa, beta, _gamma = shortlisted
    cast(chair, [beta], [alfa])
    cast(member, [beta])
    client.force_login(chair.user)

    response = client.get(url("decision", edition.year))

    checked = re.findall(
        r'name="winner" value="(\d+)"\s+id="id_winner_\d" required checked', text(response)
    )
    assert checked == [str(beta.pk)]
    assert "The winner of the final vote (2 ballots), Betagruppen, is preselected." in text(
        response
    )


def test_chair_records_the_decision_once(client, edition, chair, member, shortlisted):
    alfa, beta, gamma = shortlisted
    extra = candidate(edition, "Deltaverksamheten")  # a candidate not on the shortlist
    cast(chair, [alfa], [beta])
    client.force_login(chair.user)

    response = client.post(
        url("decision", edition.year),
        {
            "winner": alfa.pk,
            "honourable_mentions": [gamma.pk, extra.pk],
            "minutes": "Juryn beslutade enhälligt.\nNärvarande: alla.",
        },
        follow=True,
    )

    decision = Decision.objects.get()
    assert decision.edition == edition
    assert decision.winner == alfa
    assert set(decision.honourable_mentions.all()) == {gamma, extra}
    assert decision.minutes == "Juryn beslutade enhälligt.\nNärvarande: alla."
    assert decision.decided_by == chair.user
    edition.refresh_from_db()
    assert edition.decided_at == decision.decided_at
    assert edition.phase == edition.Phase.DECIDED
    page = text(response)
    assert "The jury&#x27;s decision has been recorded." in page
    assert '<dd class="col-sm-9 decision-winner">Alfateamet</dd>' in page
    assert (
        '<dd class="col-sm-9 decision-mentions">Deltaverksamheten, Gammamottagningen</dd>' in page
    )
    assert "<p>Juryn beslutade enhälligt.<br>Närvarande: alla.</p>" in page
    assert 'id="decision-form"' not in page

    # A second decision is refused, by the page and by the service.
    again = client.post(
        url("decision", edition.year),
        {"winner": beta.pk, "minutes": "Ett nytt beslut."},
        follow=True,
    )

    assert "has already been recorded; it cannot be recorded again." in text(again)
    with pytest.raises(vote.DecisionAlreadyRecorded):
        vote.record_decision(
            edition=edition, winner=beta, honourable_mentions=[], minutes="Igen.", by=chair.user
        )
    assert Decision.objects.get().winner == alfa


def test_decision_locks_ballots_and_shortlist(client, edition, chair, shortlisted):
    alfa, beta, _gamma = shortlisted
    vote.record_decision(
        edition=edition, winner=alfa, honourable_mentions=[], minutes="Beslut.", by=chair.user
    )
    edition.refresh_from_db()

    assert vote_selectors.ballot_refusal(edition) is not None
    assert vote_selectors.shortlist_refusal(edition) is not None
    with pytest.raises(vote.VoteNotAllowed):
        vote.cast_ballot(juror=chair, ranking_groups=[[beta.pk]])


def test_decision_requires_minutes_and_a_shortlisted_winner(client, edition, chair, shortlisted):
    alfa, _beta, _gamma = shortlisted
    outside = candidate(edition, "Utanför listan")
    client.force_login(chair.user)

    no_minutes = client.post(url("decision", edition.year), {"winner": alfa.pk, "minutes": "  "})
    not_shortlisted = client.post(
        url("decision", edition.year), {"winner": outside.pk, "minutes": "Beslut."}
    )

    assert "Write the minutes of the decision." in text(no_minutes)
    assert "Select a valid choice. That choice is not one of the available choices." in text(
        not_shortlisted
    )
    assert not Decision.objects.exists()
    with pytest.raises(ValidationError, match="The winner must be shortlisted"):
        vote.record_decision(
            edition=edition, winner=outside, honourable_mentions=[], minutes="x", by=chair.user
        )


def test_the_winner_cannot_also_be_mentioned(client, edition, chair, shortlisted):
    alfa, _beta, _gamma = shortlisted
    client.force_login(chair.user)

    response = client.post(
        url("decision", edition.year),
        {"winner": alfa.pk, "honourable_mentions": [alfa.pk], "minutes": "Beslut."},
    )

    assert "The winner cannot also get an honourable mention." in text(response)
    assert not Decision.objects.exists()
    with pytest.raises(ValidationError):
        vote.record_decision(
            edition=edition, winner=alfa, honourable_mentions=[alfa], minutes="x", by=chair.user
        )


def test_a_decision_racing_another_is_refused_inside_the_lock(edition, chair, shortlisted):
    alfa, beta, _gamma = shortlisted
    vote.record_decision(
        edition=edition, winner=alfa, honourable_mentions=[], minutes="Först.", by=chair.user
    )
    # The view read the edition before the other decision was committed.
    stale = type(edition).objects.get(pk=edition.pk)
    stale.decided_at = None

    with pytest.raises(vote.DecisionAlreadyRecorded):
        vote.record_decision(
            edition=stale, winner=beta, honourable_mentions=[], minutes="Sen.", by=chair.user
        )
    assert Decision.objects.count() == 1


# --- Query counts --------------------------------------------------------------------------------


def _field(edition, jurors, size: int):
    criterion = CriterionFactory(edition=edition)
    nominees = [candidate(edition, f"Kandidat {edition.year}-{n}") for n in range(size)]
    for nominee in nominees:
        ShortlistEntry.objects.create(edition=edition, nominee=nominee)
        for value, juror in enumerate(jurors, start=1):
            ScoreFactory(juror=juror, nominee=nominee, criterion=criterion, value=value)
    for juror in jurors:
        cast(juror, *([nominee] for nominee in nominees))


# Each page's queries (the protocol is a PDF), session and sign-in included (the session is not
# written: its expiry was at the sign-in); the results are computed afresh (a new edition has
# nothing kept), as on the first visit after a score changes: five queries, the scores read in
# one row per juror and nominee. The protocol's download is on record: one statement.
PAGE_QUERIES = {"shortlist": 16, "vote": 17, "protocol": 17}


@pytest.mark.parametrize("view", sorted(PAGE_QUERIES))
def test_vote_pages_take_as_many_queries_for_a_large_field_as_for_a_small_one(
    client, django_assert_num_queries, edition, chair, member, view
):
    client.force_login(chair.user)
    _field(edition, [chair, member], 2)
    larger = EditionFactory(
        nominations_open_at=edition.nominations_open_at,
        nominations_close_at=edition.nominations_close_at,
        screening_completed_at=edition.screening_completed_at,
    )
    jurors = [
        ChairFactory(edition=larger, user=chair.user),
        *(JurorFactory(edition=larger) for _ in range(4)),
    ]
    _field(larger, jurors, 6)

    for year in (edition.year, larger.year):
        with django_assert_num_queries(PAGE_QUERIES[view]):
            assert client.get(url(view, year)).status_code == 200
