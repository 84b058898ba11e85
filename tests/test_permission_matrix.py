"""Who gets what on every route: a table of view name × role, checked against the URLconf.

The routes come from walking the URL configuration itself (every resolver, nested includes
and the language prefix, nothing skipped), so a new route without a row in `EXPECTED` fails
`test_every_route_has_a_row_and_every_row_a_route` by name. Each route's arguments come from
`SAMPLES`; an argument missing there fails `test_every_route_argument_has_a_sample`.

The expected answers are what the rules say, not what the code happens to do: where main
answers wrongly, the case is marked `xfail(strict=True)` in `KNOWN_WRONG` until it is fixed.

Answers: a status code, `LOGIN` (a redirect to sign in) or, for a route that takes POST only,
`PostOnly(...)`: its GET answers 405 (or `LOGIN` for anonymous visitors, whom
`login_required` sends to sign in first), and an empty POST gets the answer given, where
`ALLOWED` means "let through" (anything but a refusal: 403, 404, 405 or a sign-in redirect).
"""

from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.db import transaction
from django.test.utils import override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone, translation

from jury.models import ConflictDeclaration, ResultsExport
from nominations.models import Nomination
from publication.models import Announcement
from tests.factories import (
    AssignmentFactory,
    AttachmentFactory,
    ChairFactory,
    ConflictDeclarationFactory,
    CriterionFactory,
    EditionFactory,
    JurorFactory,
    NominationFactory,
    OrganisationFactory,
    SecretariatFactory,
    SuperuserFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

ROLES = (
    "anonymous",
    "nominator",
    "other_nominator",
    "juror",
    "conflicted_juror",
    "chair",
    "conflicted_chair",
    "secretariat",
    "superuser",
)
LOGIN = "redirect to sign-in"
ALLOWED = "allowed"


@dataclass(frozen=True)
class PostOnly:
    post: int | str


def answers(*, anonymous=LOGIN, default, **roles) -> dict[str, int | str]:
    """A row: every role gets `default` unless named; anonymous visitors sign in first."""
    unknown = set(roles) - set(ROLES)
    assert not unknown, f"Unknown roles {unknown}"
    return {"anonymous": anonymous, **dict.fromkeys(ROLES[1:], default), **roles}


def post_only(**kwargs) -> dict[str, PostOnly]:
    return {role: PostOnly(answer) for role, answer in answers(**kwargs).items()}


JURY_SEATS = ("juror", "conflicted_juror", "chair", "conflicted_chair")
LEADS = ("chair", "conflicted_chair", "secretariat", "superuser")
STAFF = ("secretariat", "superuser")
WRITERS = ("chair", "conflicted_chair", "secretariat", "superuser")


def roles(names, answer) -> dict:
    return dict.fromkeys(names, answer)


# Outsiders to a jury (nominators) get 404 on its pages; jurors and the secretariat without
# the role get 403 (jury/views/access.py). Pages only a juror has (their conflicts, their
# scoring) look a juror row up, so anyone without one gets 404 there.
EXPECTED: dict[str, dict[str, int | str | PostOnly]] = {
    # Site-wide pages.
    "healthz": answers(anonymous=200, default=200),
    "home": answers(anonymous=200, default=200),
    # Where signing in ends: each role is sent on to its own start page.
    "landing": answers(anonymous=LOGIN, default=302),
    "accounts:sign_in": answers(anonymous=200, default=200),
    "accounts:sign_in_sent": answers(anonymous=200, default=200),
    "accounts:sign_in_confirm": answers(anonymous=200, default=200),
    "accounts:sign_out": {role: PostOnly(ALLOWED) for role in ROLES},
    "privacy": answers(anonymous=200, default=200),
    "accessibility": answers(anonymous=200, default=200),
    # The page's script asks how long the session has left; it tells nothing else.
    "accounts:session_status": answers(anonymous=200, default=200),
    "admin": answers(anonymous=LOGIN, default=LOGIN, **roles(STAFF, 200)),
    # The call and the nominator's own pages: another's nomination is a 404.
    "nominations:call": answers(anonymous=200, default=200),
    "nominations:mine": answers(default=200),
    "nominations:create": post_only(default=ALLOWED),
    "nominations:detail": answers(default=404, nominator=200),
    # Submitted and the call closed: the form sends the owner to the receipt.
    "nominations:edit": answers(default=404, nominator=302),
    "nominations:autosave": post_only(default=404, nominator=ALLOWED),
    "nominations:withdraw": answers(default=404, nominator=403),
    "nominations:attachment": answers(default=404, nominator=200, **roles(STAFF, 200)),
    # Screening: the secretariat's.
    "nominations:screening_list": answers(default=403, **roles(STAFF, 200)),
    "nominations:screening_export": answers(default=403, **roles(STAFF, 200)),
    "nominations:screening_complete": post_only(default=403, **roles(STAFF, ALLOWED)),
    "nominations:screening_detail": answers(default=403, **roles(STAFF, 200)),
    "nominations:nomination_pdf": answers(default=403, **roles(STAFF, 200)),
    # The jury's set-up: the secretariat's; 403 to anyone else signed in.
    "jury:home": answers(default=200),
    "jury:manage": answers(default=403, **roles(STAFF, 200)),
    "jury:invite": post_only(default=403, **roles(STAFF, ALLOWED)),
    "jury:resend_invitation": post_only(default=403, **roles(STAFF, ALLOWED)),
    "jury:default_criteria": post_only(default=403, **roles(STAFF, ALLOWED)),
    "jury:open_scoring": post_only(default=403, **roles(STAFF, ALLOWED)),
    # Conflicts of interest: each juror declares; the chair and the secretariat rule.
    "jury:conflicts": answers(default=404, **roles(JURY_SEATS, 200)),
    # A juror asks to withdraw their own declared conflict; anyone else's is a 404.
    "jury:withdraw": answers(default=404, conflicted_juror=200),
    "jury:rulings": answers(
        default=404, **roles(("juror", "conflicted_juror"), 403), **roles(LEADS, 200)
    ),
    # A chair conflicted on the nominee does not rule on another's conflict on it.
    "jury:rule": post_only(
        default=404,
        **roles(("juror", "conflicted_juror", "conflicted_chair"), 403),
        chair=ALLOWED,
        **roles(STAFF, ALLOWED),
    ),
    # Scoring: a juror's own; a conflicted nominee is a 404 like one not assigned.
    "jury:scoring": answers(default=404, **roles(JURY_SEATS, 200)),
    "jury:score": answers(default=404, juror=200, chair=200),
    "jury:autosave": post_only(default=404, juror=ALLOWED, chair=ALLOWED),
    "jury:submit": post_only(default=404, **roles(JURY_SEATS, ALLOWED)),
    "jury:reopen": post_only(
        default=404, **roles(("juror", "conflicted_juror"), 403), **roles(LEADS, ALLOWED)
    ),
    # Results for the chair and the secretariat; a member once their own scores are in.
    "jury:results": answers(
        default=404, **roles(("juror", "conflicted_juror"), 403), **roles(LEADS, 200)
    ),
    "jury:export_results": answers(
        default=404, **roles(("juror", "conflicted_juror"), 403), **roles(LEADS, 200)
    ),
    # The Excel workbook: asked for and listed by those who export; each downloads only
    # their own (the chair's here), so the secretariat finds none.
    "jury:results_exports": answers(
        default=404, **roles(("juror", "conflicted_juror"), 403), **roles(LEADS, 200)
    ),
    "jury:request_results_export": post_only(
        default=404, **roles(("juror", "conflicted_juror"), 403), **roles(LEADS, ALLOWED)
    ),
    "jury:download_results_export": answers(
        default=404,
        **roles(("juror", "conflicted_juror"), 403),
        **roles(("chair", "conflicted_chair"), 200),
    ),
    "jury:protocol": answers(
        default=404, **roles(("juror", "conflicted_juror"), 403), **roles(LEADS, 200)
    ),
    # The final round.
    "jury:shortlist": answers(
        default=404, **roles(("juror", "conflicted_juror"), 403), **roles(LEADS, 200)
    ),
    "jury:ballot": answers(default=404, **roles(JURY_SEATS, 200), **roles(STAFF, 403)),
    "jury:vote": answers(
        default=404, **roles(("juror", "conflicted_juror"), 403), **roles(LEADS, 200)
    ),
    # The chair alone decides: the secretariat runs the jury but does not decide.
    "jury:decision": answers(
        default=404,
        **roles(("juror", "conflicted_juror"), 403),
        chair=200,
        conflicted_chair=200,
        **roles(STAFF, 403),
    ),
    # The public archive: a published winner is everybody's.
    "publication:announcement_list": answers(anonymous=200, default=200),
    "publication:announcement_detail": answers(anonymous=200, default=200),
    "publication:feed": answers(anonymous=200, default=200),
    # Unpublished: the diploma is the secretariat's, the photo (none here) nobody's.
    "publication:diploma": answers(anonymous=404, default=404, **roles(STAFF, 200)),
    "publication:photo": answers(anonymous=404, default=404),
    # The secretariat's view of the year; nobody else learns it exists.
    "publication:current_year_overview": answers(default=404, **roles(STAFF, 302)),
    "publication:year_overview": answers(default=404, **roles(STAFF, 200)),
    # The announcement's writers: the edition's chair and the secretariat. The superuser
    # writes as the secretariat; the chair may not move the time or publish.
    "publication:announcement_edit": answers(default=404, **roles(WRITERS, 200)),
    "publication:preview": post_only(default=404, **roles(WRITERS, ALLOWED)),
    "publication:approve": post_only(default=404, **roles(WRITERS, ALLOWED)),
    "publication:schedule": post_only(
        default=404, **roles(("chair", "conflicted_chair"), 403), **roles(STAFF, ALLOWED)
    ),
    "publication:publish_now": post_only(
        default=404, **roles(("chair", "conflicted_chair"), 403), **roles(STAFF, ALLOWED)
    ),
    # Subscribing needs no account; a forged link changes nothing.
    "subscriptions:subscribe": answers(anonymous=200, default=200),
    "subscriptions:sent": answers(anonymous=200, default=200),
    # A confirmation link only shows its button on GET; a forged unsubscribe link is a 400.
    "subscriptions:confirm": answers(anonymous=200, default=200),
    "subscriptions:unsubscribe": answers(anonymous=400, default=400),
    # Everyone's own register extract; extracts and erasures of others need the permission.
    "privacy:my_data": answers(default=200),
    "privacy:my_data_download": answers(default=200),
    "privacy:staff": answers(default=403, superuser=200),
    # The second factor's own pages. Nobody here is half signed in: the code page sends
    # those who need no code back to sign-in, and the verified onwards.
    "accounts:two_factor_verify": answers(
        default=LOGIN, **roles(("chair", "conflicted_chair"), 302), **roles(STAFF, 302)
    ),
    "accounts:two_factor_setup": answers(default=200),
}

# Main answers these wrongly today; each is fixed elsewhere and then its mark removed.
KNOWN_WRONG: dict[tuple[str, str], str] = {}


# --- Walking the URL configuration -------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    name: str | None  # "namespace:name", or "admin" for every admin route
    kwargs: frozenset[str]
    where: str


@dataclass
class Walk:
    routes: list[Route] = field(default_factory=list)
    resolvers: int = 0
    patterns: int = 0


def walk(resolver=None, namespaces=(), kwargs=frozenset(), prefix="", into=None) -> Walk:
    """Every URLPattern below `resolver`, with its full name and every argument it takes."""
    into = into or Walk()
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        names = kwargs | frozenset(entry.pattern.regex.groupindex)
        where = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            into.resolvers += 1
            inner = (*namespaces, entry.namespace) if entry.namespace else namespaces
            walk(entry, inner, names, where, into)
        elif isinstance(entry, URLPattern):
            into.patterns += 1
            if namespaces[:1] == ("admin",):
                name = "admin"  # the admin's own URLs are Django's: one entry, checked below
            elif entry.name is None:
                name = None
            else:
                name = ":".join((*namespaces, entry.name))
            into.routes.append(Route(name, names, where))
        else:  # pragma: no cover - Django has no third kind today
            raise TypeError(f"Unknown URL entry {entry!r} at {where}")
    return into


def test_the_walk_visits_every_route_including_nested_includes_and_the_admin():
    result = walk()
    named = [route for route in result.routes if route.name not in (None, "admin")]
    assert result.patterns == len(result.routes)
    # The language prefix, the three apps' includes and the admin with its model admins.
    assert result.resolvers >= 5
    assert {route.name.split(":")[0] for route in named if ":" in route.name} == {
        "accounts",
        "nominations",
        "jury",
        "publication",
        "subscriptions",
        "privacy",
    }
    assert len(named) == len(EXPECTED) - 1  # everything but "admin", each once
    assert sum(route.name == "admin" for route in result.routes) > 20


def test_every_route_has_a_name():
    unnamed = [route.where for route in walk().routes if route.name is None]
    assert unnamed == [], f"Routes without a name (give each one a name=): {unnamed}"


def test_every_route_has_a_row_and_every_row_a_route():
    walked = {route.name for route in walk().routes if route.name}
    missing = sorted(walked - set(EXPECTED))
    stale = sorted(set(EXPECTED) - walked)
    assert missing == [], f"Routes without a row in EXPECTED (add who gets what): {missing}"
    assert stale == [], f"Rows in EXPECTED for routes that no longer exist: {stale}"


def test_every_row_names_every_role():
    incomplete = {
        name: set(ROLES) - set(row) for name, row in EXPECTED.items() if set(row) != set(ROLES)
    }
    assert incomplete == {}


def test_every_route_argument_has_a_sample():
    unknown = {
        route.name: sorted(route.kwargs - set(SAMPLES))
        for route in walk().routes
        if route.name != "admin" and route.kwargs - set(SAMPLES)
    }
    assert unknown == {}, f"URL arguments without a sample value in SAMPLES: {unknown}"


# --- The people and the records they reach ----------------------------------------------------


@dataclass
class Scenario:
    users: dict
    edition: object
    nomination: Nomination
    attachment: object
    plain_nominee: object
    conflict_nominee: object
    juror: object
    plain_declaration: ConflictDeclaration
    conflict_declaration: ConflictDeclaration
    results_export: ResultsExport


@pytest.fixture(scope="module")
def scenario(django_db_setup, django_db_blocker, tmp_path_factory) -> Scenario:
    """The people and records of `build_scenario`, made once for the module's ~400 cases.

    Built inside a transaction that is rolled back at the end, as Django's setUpTestData
    does; each case runs in its own savepoint inside it, so what one case changes (a POST
    that reopens scores) the next does not see.
    """
    media = tmp_path_factory.mktemp("media")
    (media / "nominations" / "test").mkdir(parents=True)
    (media / "nominations" / "test" / "attachment.pdf").write_bytes(b"%PDF-1.4\n%%EOF\n")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield build_scenario()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def build_scenario() -> Scenario:
    """One edition with its jury at work: scoring open, three candidates.

    The nominator nominated two; another organisation's nominator the third. The conflicted
    juror declared a conflict on the first two (awaiting rulings), the chair on the second,
    `conflict_nominee`. Nobody has submitted scores; there is no shortlist yet.
    """
    now = timezone.now()
    edition = EditionFactory(
        scoring=True,
        scoring_deadline=now + timedelta(days=10),
    )
    CriterionFactory(edition=edition)
    nominator = UserFactory(first_name="Nina", last_name="Nominerar")
    other = UserFactory(first_name="Olle", last_name="Annanorg")
    organisation = OrganisationFactory()

    def eligible(by, name, **fields):
        return NominationFactory(
            submitted=True,
            status=Nomination.Status.ELIGIBLE,
            edition=edition,
            nominator=by,
            nominee_name=name,
            **fields,
        )

    nomination = eligible(nominator, "Alfateamet", nominator_organisation=organisation)
    second = eligible(nominator, "Betagruppen", nominator_organisation=organisation)
    eligible(other, "Gammamottagningen", nominator_organisation=OrganisationFactory())
    plain, conflict = nomination.nominee, second.nominee
    candidates = [plain, conflict, Nomination.objects.get(nominator=other).nominee]

    juror = JurorFactory(edition=edition, user__first_name="Jana", user__last_name="Juror")
    conflicted = JurorFactory(edition=edition, user__first_name="Klas", user__last_name="Jävig")
    chair = ChairFactory(edition=edition, user__first_name="Cecilia", user__last_name="Chair")
    declarations = {}
    for seat, conflicted_on in ((juror, ()), (conflicted, (plain, conflict)), (chair, (conflict,))):
        for nominee in candidates:
            AssignmentFactory(juror=seat, nominee=nominee)
            declarations[seat.pk, nominee.pk] = ConflictDeclarationFactory(
                juror=seat, nominee=nominee, conflicted=nominee in conflicted_on
            )
    # The chair's workbook, built with their conflict left out.
    results_export = ResultsExport(
        edition=edition,
        requested_by=chair.user,
        language="sv",
        status=ResultsExport.Status.READY,
        left_out_nominee_ids=[conflict.pk],
    )
    results_export.file.save("resultat.xlsx", ContentFile(b"PK workbook"))
    # The edition's announcement draft, as the jury's decision would have made it.
    Announcement.objects.create(edition=edition, winner_name="Alfateamet", citation="")
    return Scenario(
        users={
            "nominator": nominator,
            "other_nominator": other,
            "juror": juror.user,
            "conflicted_juror": conflicted.user,
            "chair": chair.user,
            "conflicted_chair": chair.user,  # the same chair, on the nominee they are conflicted on
            "secretariat": SecretariatFactory(),
            "superuser": SuperuserFactory(),
        },
        edition=edition,
        nomination=nomination,
        attachment=AttachmentFactory(nomination=nomination),
        plain_nominee=plain,
        conflict_nominee=conflict,
        juror=juror,
        plain_declaration=declarations[conflicted.pk, plain.pk],
        conflict_declaration=declarations[conflicted.pk, conflict.pk],
        results_export=results_export,
    )


# The value each URL argument takes; `ROLE_SAMPLES` and `VIEW_SAMPLES` override it.
SAMPLES = {
    "year": lambda s: s.edition.year,
    "token": lambda s: "not-a-real-sign-in-token",
    "pk": lambda s: s.nomination.pk,
    "attachment_pk": lambda s: s.attachment.pk,
    "file_format": lambda s: "csv",
    "juror_id": lambda s: s.juror.pk,
    "nominee_id": lambda s: s.plain_nominee.pk,
    "declaration_id": lambda s: s.plain_declaration.pk,
    "export_id": lambda s: s.results_export.pk,
}
# The conflicted roles act on the nominee they are conflicted on.
ROLE_SAMPLES = {
    "conflicted_juror": {"nominee_id": lambda s: s.conflict_nominee.pk},
    "conflicted_chair": {
        "nominee_id": lambda s: s.conflict_nominee.pk,
        "declaration_id": lambda s: s.conflict_declaration.pk,
    },
}
# The 2023 edition (a data migration) is the published one.
VIEW_SAMPLES = {
    "publication:announcement_detail": {"year": lambda s: 2023},
    "privacy:my_data_download": {"file_format": lambda s: "json"},
}


def _routes() -> dict[str, Route]:
    return {route.name: route for route in walk().routes if route.name not in (None, "admin")}


def _url(route: Route, role: str, scenario: Scenario) -> str:
    samples = {**SAMPLES, **ROLE_SAMPLES.get(role, {}), **VIEW_SAMPLES.get(route.name, {})}
    kwargs = {name: samples[name](scenario) for name in route.kwargs}
    with translation.override("sv"):
        return reverse(route.name, kwargs=kwargs)


def _answer(response, login_url: str) -> int | str:
    if response.streaming:
        # Reading a download to its end closes its file (the test client's wrapper does).
        b"".join(response.streaming_content)
    if response.status_code == 302 and response["Location"].startswith(login_url):
        return LOGIN
    return response.status_code


def _cases():
    for name in EXPECTED:
        for role in ROLES:
            reason = KNOWN_WRONG.get((name, role))
            marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
            yield pytest.param(name, role, id=f"{name}-{role}", marks=marks)


@pytest.mark.parametrize(("name", "role"), list(_cases()))
def test_who_gets_what(client, scenario, name, role):
    user = scenario.users.get(role)
    if user is not None:
        client.force_login(user)
    expected = EXPECTED[name][role]

    if name == "admin":
        answer = _answer(client.get("/admin/"), "/admin/login/")
        assert answer == expected
        if role == "anonymous":
            login_page = client.get("/admin/login/")
            assert 'name="password"' in login_page.content.decode()
        return

    url = _url(_routes()[name], role, scenario)
    if not isinstance(expected, PostOnly):
        assert _answer(client.get(url), "/signin/") == expected, url
        return

    # A refusal may come before the method is looked at (the screening views check the
    # permission first): then the GET gets that refusal, else a 405.
    refusal = () if expected.post == ALLOWED else (expected.post,)
    if role == "anonymous" and name != "accounts:sign_out":
        assert _answer(client.get(url), "/signin/") == LOGIN, url
    else:
        assert _answer(client.get(url), "/signin/") in (405, *refusal), url
    answer = _answer(client.post(url, {}), "/signin/")
    if expected.post == ALLOWED:
        assert answer not in (LOGIN, 403, 404, 405), url
    else:
        assert answer == expected.post, url
