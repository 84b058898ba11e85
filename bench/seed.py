"""Seeds the benchmark's database: a large edition and a real-size one in the jury's phase,
an edition open for nominations with drafts to submit, and sessions to sign in with.

Rows go in by bulk_create and, for the big tables (assignments, declarations, scores), by
PostgreSQL's COPY: the large edition's 300,000 scores take seconds, not minutes.
"""

import io
import random
import time
from dataclasses import dataclass, field
from datetime import timedelta

from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection, transaction
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice
from stdnum import luhn

from accounts import sessions
from accounts.models import User
from jury.models import Assignment, ConflictDeclaration, Criterion, Juror, Score
from nominations.models import Area, Edition, Municipality, Nomination, Nominee

TEXT = (
    "Ett långsiktigt arbete i bred samverkan med den utsatta i fokus. Verksamheten har "
    "byggt upp rutiner för att tidigt upptäcka våld i nära relationer och för att ge stöd. "
) * 4


@dataclass
class JuryEdition:
    year: int
    nominee_ids: list[int]
    chair_session: str
    member_session: str
    member_nominee_id: int


@dataclass
class Seeded:
    large: JuryEdition
    small: JuryEdition
    call_year: int
    secretariat_session: str
    # One list of draft ids per nominator session, each client submits its own.
    drafts: dict[str, list[int]] = field(default_factory=dict)
    area_id: int = 0
    municipality_id: int = 0


def organisation_number(n: int) -> str:
    body = f"80{n:07d}"[:9]
    return f"{body[:6]}-{body[6:]}{luhn.calc_check_digit(body)}"


def _copy(model, columns: list[str], rows) -> None:
    """COPY rows (tuples in `columns` order) into the model's table."""
    buffer = io.StringIO()
    for row in rows:
        buffer.write("\t".join("\\N" if v is None else str(v) for v in row))
        buffer.write("\n")
    buffer.seek(0)
    with connection.cursor() as cursor:
        raw = cursor.cursor  # psycopg's own cursor, under Django's wrapper
        with raw.copy(f"COPY {model._meta.db_table} ({', '.join(columns)}) FROM STDIN") as copy:
            while data := buffer.read(1 << 20):
                copy.write(data)


def _users(prefix: str, count: int, **fields) -> list[User]:
    users = [
        User(email=f"{prefix}{i}@bench.example.org", password="!", last_name=f"{prefix} {i}")
        for i in range(count)
    ]
    for user in users:
        for name, value in fields.items():
            setattr(user, name, value)
    return User.objects.bulk_create(users)


def session_for(user: User, *, second_factor: bool = False) -> str:
    """A signed-in session, as django.contrib.auth.login leaves it, with the second factor
    given when the user needs one (see tests/helpers.py force_login_both_factors)."""
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    # What accounts.sessions.signed_in adds at a sign-in.
    session[sessions.SIGNED_IN_AT] = session[sessions.EXTENDED_AT] = time.time()
    if second_factor:
        device = TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.create()
    return session.session_key


def _jury_edition(
    year: int, *, nominees: int, jurors: int, criteria: int, conflicts: int, rng: random.Random
) -> JuryEdition:
    now = timezone.now()
    edition = Edition.objects.create(
        year=year,
        ordinal=year - 2015,
        nominations_open_at=now - timedelta(days=120),
        nominations_close_at=now - timedelta(days=60),
        scoring_deadline=now + timedelta(days=30),
        announcement_at=now + timedelta(days=90),
        screening_completed_at=now - timedelta(days=50),
        scoring_opened_at=now - timedelta(days=45),
        last_reference_sequence=nominees,
    )
    nominators = _users(f"nominator-{year}-", max(nominees // 20, 1))
    created = Nominee.objects.bulk_create(
        Nominee(edition=edition, name=f"Nominee {year}-{i:04d}", match_key=f"-:nominee {i}")
        for i in range(nominees)
    )
    nominee_ids = [n.pk for n in created]
    nominations = Nomination.objects.bulk_create(
        Nomination(
            edition=edition,
            nominator=nominators[i % len(nominators)],
            status=Nomination.Status.ELIGIBLE,
            reference_number=f"KFP-{year}-{i + 1:04d}",
            nominee_name=f"Nominee {year}-{i:04d}",
            nominee_kind="municipality",
            nominee_id=nominee_id,
            **dict.fromkeys(Nomination.FREE_TEXT_FIELDS, TEXT),
            nominator_organisation_name="Exempelföreningen",
            nominator_organisation_number=organisation_number(i),
            contact_name="Kim Kontakt",
            contact_email=f"contact{i}@bench.example.org",
            consent=True,
            submitted_at=now - timedelta(days=70),
            screened_at=now - timedelta(days=55),
        )
        for i, nominee_id in enumerate(nominee_ids)
    )
    areas = list(Area.objects.values_list("pk", flat=True))
    municipalities = list(Municipality.objects.values_list("pk", flat=True))
    Nomination.areas.through.objects.bulk_create(
        Nomination.areas.through(nomination_id=n.pk, area_id=areas[i % len(areas)])
        for i, n in enumerate(nominations)
    )
    Nomination.municipalities.through.objects.bulk_create(
        Nomination.municipalities.through(
            nomination_id=n.pk, municipality_id=municipalities[i % len(municipalities)]
        )
        for i, n in enumerate(nominations)
    )

    juror_users = _users(f"juror-{year}-", jurors)
    juror_rows = Juror.objects.bulk_create(
        Juror(
            edition=edition,
            user=user,
            role=Juror.Role.CHAIR if i == 0 else Juror.Role.MEMBER,
            invited_at=now - timedelta(days=50),
            joined_at=now - timedelta(days=49),
        )
        for i, user in enumerate(juror_users)
    )
    criterion_rows = Criterion.objects.bulk_create(
        Criterion(edition=edition, name=f"Kriterium {c + 1}", weight=1 + c % 2, position=c)
        for c in range(criteria)
    )
    # A few members (never the chair, whose results page is measured whole) are conflicted.
    conflicted = {
        (juror_rows[1 + k % (jurors - 1)].pk, nominee_ids[(k * 7) % nominees])
        for k in range(conflicts)
    }
    pairs = [(j.pk, n) for j in juror_rows for n in nominee_ids]
    _copy(Assignment, ["juror_id", "nominee_id"], pairs)
    stamp = now.isoformat()
    _copy(
        ConflictDeclaration,
        [
            "juror_id",
            "nominee_id",
            "conflicted",
            "reason",
            "proposed",
            "declared_at",
            "ruling",
            "ruling_reason",
            "withdrawal_reason",
        ],
        (
            (
                j,
                n,
                (j, n) in conflicted,
                "Bench" if (j, n) in conflicted else "",
                False,
                stamp,
                ConflictDeclaration.Ruling.UPHELD if (j, n) in conflicted else "pending",
                "",
                "",
            )
            for j, n in pairs
        ),
    )
    _copy(
        Score,
        ["juror_id", "nominee_id", "criterion_id", "value", "comment", "updated_at"],
        (
            (j, n, c.pk, rng.randint(c.scale_min, c.scale_max), "", stamp)
            for j, n in pairs
            if (j, n) not in conflicted
            for c in criterion_rows
        ),
    )
    member = juror_rows[-1]
    return JuryEdition(
        year=year,
        nominee_ids=nominee_ids,
        chair_session=session_for(juror_users[0], second_factor=True),
        member_session=session_for(member.user),
        member_nominee_id=nominee_ids[len(nominee_ids) // 2],
    )


def seed(
    *,
    large: tuple[int, int, int] = (2000, 25, 6),
    small: tuple[int, int, int] = (30, 7, 6),
    submitters: int = 32,
    drafts_each: int = 120,
) -> Seeded:
    """Everything the benchmark's pages need; returns what the clients sign in with."""
    rng = random.Random(13)  # noqa: S311 - made-up scores, the same every run
    with transaction.atomic():
        big = _jury_edition(
            2026, nominees=large[0], jurors=large[1], criteria=large[2], conflicts=12, rng=rng
        )
        real = _jury_edition(
            2027, nominees=small[0], jurors=small[1], criteria=small[2], conflicts=3, rng=rng
        )
        now = timezone.now()
        call = Edition.objects.create(
            year=2028,
            ordinal=2028 - 2015,
            nominations_open_at=now - timedelta(days=5),
            nominations_close_at=now + timedelta(days=60),
            scoring_deadline=now + timedelta(days=120),
            announcement_at=now + timedelta(days=200),
            call_text="Nominera en verksamhet som gör skillnad.",
        )
        secretariat = _users("kansliet-", 1, is_staff=True)[0]
        secretariat_session = session_for(secretariat, second_factor=True)
        submitter_users = _users("submitter-", submitters)
        drafts = Nomination.objects.bulk_create(
            Nomination(edition=call, nominator=user)
            for user in submitter_users
            for _ in range(drafts_each)
        )
        sessions = {user.pk: session_for(user) for user in submitter_users}
        by_session: dict[str, list[int]] = {key: [] for key in sessions.values()}
        for draft in drafts:
            by_session[sessions[draft.nominator_id]].append(draft.pk)
    # Statistics, as autovacuum would gather them within a minute of such a load: without
    # them the planner takes nested loops and disk sorts that no real database would.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return Seeded(
        large=big,
        small=real,
        call_year=call.year,
        secretariat_session=secretariat_session,
        drafts=by_session,
        area_id=Area.objects.values_list("pk", flat=True).first(),
        municipality_id=Municipality.objects.values_list("pk", flat=True).first(),
    )
