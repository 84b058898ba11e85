"""Every role finds its way: where each lands after sign-in, and every page it needs within
two clicks of there, found by following the links of the rendered pages only."""

import re
from collections import deque
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone

from jury.models import ShortlistEntry
from outbox.models import OutboxMessage
from tests.factories import (
    AssignmentFactory,
    ChairFactory,
    ConflictDeclarationFactory,
    CriterionFactory,
    JurorFactory,
    NominationFactory,
    SecretariatFactory,
    UserFactory,
    eligible_nominees,
)
from tests.helpers import landed_on

# The jury is at work: screening done, scoring open, the shortlist set.
pytestmark = [pytest.mark.django_db, pytest.mark.edition(scoring=True)]

# Files and actions are not pages to walk through.
NOT_PAGES = re.compile(r"(\.pdf|\.csv|\.xlsx|/feed/|/signout/|/photo/)")


class LinkParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.links.append(href)


def links_of(html: str) -> list[str]:
    parser = LinkParser()
    parser.feed(html)
    paths = []
    for href in parser.links:
        parts = urlsplit(href)
        if parts.scheme or parts.netloc or not parts.path.startswith("/"):
            continue  # another site, mailto:, or an anchor on the page
        if parts.path.startswith("/en/") or NOT_PAGES.search(parts.path):
            continue
        paths.append(parts.path)
    return paths


def reachable(client, start: str, depth: int = 2) -> set[str]:
    """Every page reached from `start` in at most `depth` clicks (redirects followed)."""
    seen = {start}
    queue = deque([(start, 0)])
    while queue:
        path, clicks = queue.popleft()
        response = client.get(path, follow=True)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        for hop, _status in response.redirect_chain:
            seen.add(urlsplit(hop).path)
        if clicks == depth:
            continue
        for link in links_of(response.content.decode()):
            if link not in seen:
                seen.add(link)
                queue.append((link, clicks + 1))
    return seen


@pytest.fixture
def nominees(edition):
    return eligible_nominees(edition, "Alfateamet", "Betagruppen")


@pytest.fixture
def chair(edition, nominees):
    chair = ChairFactory(edition=edition)
    for nominee in nominees:
        ConflictDeclarationFactory(juror=chair, nominee=nominee)
    return chair


@pytest.fixture
def member(edition, nominees):
    """A juror who has declared, one conflict awaiting the chair's ruling, scores submitted."""
    member = JurorFactory(edition=edition, scores_submitted_at=timezone.now())
    ConflictDeclarationFactory(
        juror=member, nominee=nominees[0], conflicted=True, reason="Min syster arbetar där."
    )
    ConflictDeclarationFactory(juror=member, nominee=nominees[1])
    return member


@pytest.fixture
def jury(edition, nominees, chair, member):
    CriterionFactory(edition=edition)
    for nominee in nominees:
        for juror in (chair, member):
            AssignmentFactory(juror=juror, nominee=nominee)
        ShortlistEntry.objects.create(edition=edition, nominee=nominee)
    return edition


def sign_in_by_link(client, email: str, next_path: str = ""):
    client.post("/signin/", {"email": email, "next": next_path})
    message = OutboxMessage.objects.filter(recipient=email, template="sign_in_link").latest("pk")
    path = re.sub(r"^https?://[^/]+", "", message.context["url"])
    return client.post(path)


# --- Landing ----------------------------------------------------------------------------------


def test_a_juror_lands_on_the_jury_home_after_sign_in(client, jury, member):
    response = sign_in_by_link(client, member.user.email)

    assert landed_on(client, response) == reverse("jury:home")


def test_a_nominator_lands_on_their_nominations(client):
    nominator = UserFactory()

    response = sign_in_by_link(client, nominator.email)

    assert landed_on(client, response) == reverse("nominations:mine")


def test_a_safe_next_wins_over_the_landing_page(client, jury, member):
    response = sign_in_by_link(client, member.user.email, next_path="/call/")

    assert response["Location"] == "/call/"


def test_the_secretariat_lands_on_the_year_overview_after_its_second_factor(client, jury):
    secretariat = SecretariatFactory()
    client.force_login(secretariat)

    response = client.get(reverse("accounts:two_factor_verify"))

    assert landed_on(client, response) == reverse("publication:current_year_overview")


# --- Within two clicks ------------------------------------------------------------------------


def test_a_juror_reaches_every_page_of_theirs_in_two_clicks(client, jury, member, nominees):
    client.force_login(member.user)
    year = jury.year

    reached = reachable(client, reverse("jury:home"))

    for name in ("conflicts", "scoring", "ballot", "results"):
        assert reverse(f"jury:{name}", args=[year]) in reached, name
    assert reverse("jury:score", args=[year, nominees[1].pk]) in reached
    assert reverse("nominations:mine") in reached


def test_the_chair_reaches_every_page_of_theirs_in_two_clicks(client, jury, chair):
    client.force_login(chair.user)
    year = jury.year

    reached = reachable(client, reverse("jury:home"))

    for name in (
        "conflicts",
        "rulings",
        "scoring",
        "ballot",
        "results",
        "shortlist",
        "vote",
        "decision",
    ):
        assert reverse(f"jury:{name}", args=[year]) in reached, name


def test_the_chair_home_counts_the_conflicts_awaiting_a_ruling(client, jury, chair, member):
    client.force_login(chair.user)

    page = " ".join(client.get(reverse("jury:home")).content.decode().split())

    assert "1 jävsanmälan väntar på ditt beslut." in page
    ConflictDeclarationFactory(
        juror=JurorFactory(edition=jury),
        nominee=member.assignments.first().nominee,
        conflicted=True,
    )
    page = " ".join(client.get(reverse("jury:home")).content.decode().split())
    assert "2 jävsanmälningar väntar på ditt beslut." in page


def test_the_secretariat_reaches_every_page_of_theirs_in_two_clicks(client, jury):
    secretariat = SecretariatFactory()
    client.force_login(secretariat)
    year = jury.year

    reached = reachable(client, reverse("publication:current_year_overview"))

    assert reverse("publication:year_overview", args=[year]) in reached
    assert reverse("nominations:screening_list") in reached
    for name in ("manage", "results", "rulings", "shortlist"):
        assert reverse(f"jury:{name}", args=[year]) in reached, name
    assert reverse("admin:index") in reached


def test_a_nominator_reaches_every_page_of_theirs_in_two_clicks(client):
    nomination = NominationFactory(submitted=True)
    client.force_login(nomination.nominator)

    reached = reachable(client, reverse("nominations:mine"))

    for name in ("detail", "edit", "withdraw"):
        assert reverse(f"nominations:{name}", args=[nomination.pk]) in reached, name
    assert reverse("nominations:call") in reached


def test_the_admin_index_links_to_the_product_pages(client, jury):
    secretariat = SecretariatFactory()
    client.force_login(secretariat)

    links = links_of(client.get(reverse("admin:index")).content.decode())

    assert reverse("publication:current_year_overview") in links
    assert reverse("nominations:screening_list") in links
    assert reverse("jury:home") in links
