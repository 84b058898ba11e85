"""factory_boy factories. No hidden side effects: no e-mails, no tasks, no submissions."""

from datetime import timedelta

import factory
from django.contrib.auth.models import Permission
from django.utils import timezone
from stdnum import luhn

from accounts.models import User
from jury.models import (
    Assignment,
    ConflictDeclaration,
    ConflictEvent,
    Criterion,
    Juror,
    Score,
    ScoringNote,
)
from nominations.models import Attachment, Edition, Nomination, Nominee, Organisation
from outbox.models import OutboxMessage
from subscriptions.models import Subscriber


def valid_organisation_number(n: int) -> str:
    """A made-up organisationsnummer with a correct check digit (group 8: non-profit)."""
    body = f"80{n:07d}"[:9]
    return f"{body[:6]}-{body[6:]}{luhn.calc_check_digit(body)}"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"Person {n}")
    password = factory.django.Password("a-long-test-password")


class SecretariatFactory(UserFactory):
    """Staff who run the editions: the jury's pages know them by the named permission."""

    class Meta:
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"kansliet{n}@example.org")
    is_staff = True

    @factory.post_generation
    def runs_the_jury(self, create, extracted, **kwargs):
        if create and extracted is not False:
            self.user_permissions.add(
                Permission.objects.get(content_type__app_label="jury", codename="manage_jury"),
                Permission.objects.get(
                    content_type__app_label="publication", codename="manage_announcement"
                ),
            )


def _days_from_now(days: float):
    return factory.LazyFunction(lambda: timezone.now() + timedelta(days=days))


class EditionFactory(factory.django.DjangoModelFactory):
    """An edition open for nominations now, in a year far from the real ones. Later in its
    year: `screening=True`, the call closed yesterday; `screened=True`, screening is done
    and the edition is with the jury, scoring not yet open; `scoring=True`, the jury is at
    work, scoring opened ten days ago; `last_days_of_scoring=True`, the same, closing in ten
    days. The deadlines stay the default's, or pass them."""

    class Meta:
        model = Edition
        django_get_or_create = ("year",)

    class Params:
        screening = factory.Trait(
            nominations_open_at=_days_from_now(-40),
            nominations_close_at=_days_from_now(-1),
        )
        screened = factory.Trait(
            nominations_open_at=_days_from_now(-40),
            nominations_close_at=_days_from_now(-10),
            screening_completed_at=_days_from_now(-1),
        )
        scoring = factory.Trait(
            nominations_open_at=_days_from_now(-60),
            nominations_close_at=_days_from_now(-30),
            screening_completed_at=_days_from_now(-20),
            scoring_opened_at=_days_from_now(-10),
        )
        last_days_of_scoring = factory.Trait(scoring=True, scoring_deadline=_days_from_now(10))

    year = factory.Sequence(lambda n: 2040 + n)
    ordinal = factory.LazyAttribute(lambda o: o.year - 2023 + 8)
    nominations_open_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=10))
    nominations_close_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=20))
    scoring_deadline = factory.LazyFunction(lambda: timezone.now() + timedelta(days=60))
    announcement_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=90))


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("organisation_number",)

    name = factory.Sequence(lambda n: f"Exempelorganisationen {n}")
    organisation_number = factory.Sequence(valid_organisation_number)
    kind = Organisation.Kind.NON_PROFIT


class EditionPartFactory(factory.django.DjangoModelFactory):
    """A row that belongs to one edition: by default to an edition of its own."""

    class Meta:
        abstract = True

    edition = factory.SubFactory(EditionFactory)


class NomineeFactory(EditionPartFactory):
    class Meta:
        model = Nominee

    name = factory.Sequence(lambda n: f"Exempelteamet {n}")
    match_key = factory.LazyAttribute(lambda o: f"-:{o.name.casefold()}")


class NominationFactory(factory.django.DjangoModelFactory):
    """A complete draft. Use `submitted=True` for a submitted one (no receipt is sent)."""

    class Meta:
        model = Nomination
        skip_postgeneration_save = True

    class Params:
        submitted = factory.Trait(
            status=Nomination.Status.SUBMITTED,
            submitted_at=factory.LazyFunction(timezone.now),
            reference_number=factory.Sequence(lambda n: f"KFP-2099-{n + 1:04d}"),
            nominee=factory.SubFactory(
                NomineeFactory,
                edition=factory.SelfAttribute("..edition"),
                name=factory.SelfAttribute("..nominee_name"),
            ),
            nominator_organisation=factory.SubFactory(OrganisationFactory),
        )

    edition = factory.SubFactory(EditionFactory)
    nominator = factory.SubFactory(UserFactory)
    nominee_name = factory.Sequence(lambda n: f"Exempelteamet {n}")
    nominee_kind = Organisation.Kind.MUNICIPALITY
    motivation = "Ett långsiktigt arbete i bred samverkan med den utsatta i fokus."
    long_term_work = "Arbetet har pågått i fem år."
    collaboration = "Samverkan med socialtjänsten och polisen."
    results = "Fler ärenden upptäcks tidigt."
    nominator_organisation_name = "Exempelföreningen"
    nominator_organisation_number = factory.Sequence(
        lambda n: valid_organisation_number(10_000 + n)
    )
    contact_name = "Kim Kontakt"
    contact_email = factory.LazyAttribute(lambda o: o.nominator.email)
    contact_phone = "08-123 456 78"
    consent = True

    @factory.post_generation
    def areas(self, create, extracted, **kwargs):
        if create and extracted:
            self.areas.set(extracted)

    @factory.post_generation
    def municipalities(self, create, extracted, **kwargs):
        if create and extracted:
            self.municipalities.set(extracted)


def eligible_nominee(edition: Edition, **fields) -> Nominee:
    """A candidate: the nominee of a submitted nomination found eligible."""
    return NominationFactory(
        submitted=True, edition=edition, status=Nomination.Status.ELIGIBLE, **fields
    ).nominee


def nomination_of(nominee: Nominee, **fields) -> Nomination:
    """One more submitted nomination of `nominee`, in the nominee's edition."""
    return NominationFactory(submitted=True, edition=nominee.edition, nominee=nominee, **fields)


def eligible_nominees(edition: Edition, *names: str) -> list[Nominee]:
    """A candidate for each name, in that order."""
    return [eligible_nominee(edition, nominee_name=name) for name in names]


def assign(juror: Juror, nominees, *, conflicted=(), declared=True) -> Juror:
    """The nominees assigned to the juror, each declared on (unless `declared=False`): a
    conflict, upheld, on those in `conflicted`, none on the others."""
    for nominee in nominees:
        Assignment.objects.create(juror=juror, nominee=nominee)
        if declared:
            ConflictDeclaration.objects.create(
                juror=juror,
                nominee=nominee,
                conflicted=nominee in conflicted,
                ruling=ConflictDeclaration.Ruling.UPHELD
                if nominee in conflicted
                else ConflictDeclaration.Ruling.PENDING,
            )
    return juror


class OutboxMessageFactory(factory.django.DjangoModelFactory):
    """A queued sign-in e-mail, as `enqueue_email` leaves it (no task is sent)."""

    class Meta:
        model = OutboxMessage

    recipient = factory.Sequence(lambda n: f"recipient{n}@example.org")
    language = "sv"
    template = "sign_in_link"
    context = factory.LazyFunction(
        lambda: {"url": "http://127.0.0.1:8000/sign-in/demo/", "valid_minutes": 30}
    )
    idempotency_key = factory.Sequence(lambda n: f"test-message:{n}")
    next_attempt_at = factory.LazyFunction(timezone.now)


class JurorFactory(EditionPartFactory):
    class Meta:
        model = Juror

    user = factory.SubFactory(UserFactory)
    role = Juror.Role.MEMBER
    joined_at = factory.LazyFunction(timezone.now)


class ChairFactory(JurorFactory):
    role = Juror.Role.CHAIR


class CriterionFactory(EditionPartFactory):
    class Meta:
        model = Criterion

    name = factory.Sequence(lambda n: f"Kriterium {n}")
    weight = 1
    scale_min = 1
    scale_max = 5
    scale_labels = factory.LazyFunction(
        lambda: ["Svagt", "Godtagbart", "Bra", "Mycket bra", "Utmärkt"]
    )
    position = factory.Sequence(int)


class ScoreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Score

    juror = factory.SubFactory(JurorFactory)
    nominee = factory.SubFactory(NomineeFactory, edition=factory.SelfAttribute("..juror.edition"))
    criterion = factory.SubFactory(
        CriterionFactory, edition=factory.SelfAttribute("..juror.edition")
    )
    value = 3


class SubscriberFactory(factory.django.DjangoModelFactory):
    """A confirmed subscriber; pass `confirmed_at=None` for one who has not confirmed."""

    class Meta:
        model = Subscriber

    email = factory.Sequence(lambda n: f"subscriber{n}@example.org")
    language = "sv"
    confirmed_at = factory.LazyFunction(timezone.now)


class SuperuserFactory(UserFactory):
    """An administrator: every Django permission, and no seat on any jury."""

    email = factory.Sequence(lambda n: f"admin{n}@example.org")
    is_staff = True
    is_superuser = True


class AssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assignment

    juror = factory.SubFactory(JurorFactory)
    nominee = factory.SubFactory(NomineeFactory, edition=factory.SelfAttribute("..juror.edition"))


class ConflictDeclarationFactory(factory.django.DjangoModelFactory):
    """A juror's answer for one nominee: no conflict, unless `conflicted=True`."""

    class Meta:
        model = ConflictDeclaration

    juror = factory.SubFactory(JurorFactory)
    nominee = factory.SubFactory(NomineeFactory, edition=factory.SelfAttribute("..juror.edition"))
    conflicted = False


def juror_who_wrote(
    user: User, *, comment: str, note: str, conflict: str, conflict_event: str = "", **nominee
) -> tuple[Juror, Nominee]:
    """`user` on a new edition's jury, having written all a juror writes about one nominee:
    a score's comment, a private note, a declared conflict and its event."""
    edition = EditionFactory()
    juror = JurorFactory(edition=edition, user=user)
    candidate = NomineeFactory(edition=edition, **nominee)
    ScoreFactory(
        juror=juror, nominee=candidate, criterion=CriterionFactory(edition=edition), comment=comment
    )
    ScoringNote.objects.create(juror=juror, nominee=candidate, text=note)
    declaration = ConflictDeclaration.objects.create(
        juror=juror, nominee=candidate, conflicted=True, reason=conflict
    )
    ConflictEvent.objects.create(
        declaration=declaration, kind="declared", reason=conflict_event, by=user
    )
    return juror, candidate


class AttachmentFactory(factory.django.DjangoModelFactory):
    """An attachment row; the file named must exist under MEDIA_ROOT to be downloaded."""

    class Meta:
        model = Attachment

    nomination = factory.SubFactory(NominationFactory)
    file = "nominations/test/attachment.pdf"
    original_name = "Verksamhetsberättelse.pdf"
    content_type = "application/pdf"
    size = 15
