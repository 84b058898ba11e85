"""Load made-up demo data; `make run` calls this.

Two editions tell the story: this year's is with the jury (nominations screened, scoring open,
most jurors done), next year's call for nominations is open. Everything is fictitious and says
so ("Demo"); nothing of it is loaded outside the demo. Running it again changes nothing.
"""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from jury.models import Juror, Partner
from jury.services import assignment, conflicts, jurors, scoring
from kvinnofrid import two_factor
from nominations.models import Area, Edition, Municipality, Nomination, Organisation
from nominations.services import nominee_match_key, organisation_for
from nominations.validators import luhn_check_digit

FIRST_KNOWN_YEAR, FIRST_KNOWN_ORDINAL = 2023, 8
DEMO_PASSWORD = "kvinnofrid-demo"  # noqa: S105 (printed on purpose: demo only)
DOMAIN = "demo.kvinnofrid.example"

ADMIN = f"kansliet@{DOMAIN}"
# The demo's second factor, printed below: recovery codes for the accounts that need one (the
# secretariat, the chair), and one authenticator key, so a newcomer can also try the app.
DEMO_RECOVERY_CODES = [f"demo{n:04d}" for n in range(1, 11)]
DEMO_TOTP_KEY = "4b76696e6e6f66726964dd64656d6f2d6b657921"  # hex; demo only, never a real account's
NOMINATOR = f"nominerar@{DOMAIN}"
# (e-mail, first name, last name, role, partner slug, has finished scoring)
JURY = [
    (
        f"ordforande@{DOMAIN}",
        "Demo",
        "Ordförande",
        Juror.Role.CHAIR,
        "lansstyrelsen-stockholm",
        True,
    ),
    (f"jury1@{DOMAIN}", "Demo", "Jurymedlem Ett", Juror.Role.MEMBER, "region-stockholm", True),
    (f"jury2@{DOMAIN}", "Demo", "Jurymedlem Två", Juror.Role.MEMBER, "polismyndigheten", True),
    (f"jury3@{DOMAIN}", "Demo", "Jurymedlem Tre", Juror.Role.MEMBER, "storsthlm", True),
    (f"jury4@{DOMAIN}", "Demo", "Jurymedlem Fyra", Juror.Role.MEMBER, "stockholms-stad", False),
]

# (nominee, kind, municipality codes, area slugs, nominating organisation, status)
JURY_NOMINATIONS = [
    (
        "Demo: Relationsvåldsteamet i Exempelkommun",
        "municipality",
        ["0126", "0127"],
        ["vald-i-nara-relationer"],
        "Demo: Föreningen Exempelstöd",
        "eligible",
    ),
    (
        "Demo: Hedersvåldsenheten Exempelregionen",
        "region",
        ["0180"],
        ["hedersrelaterat-vald-och-fortryck"],
        "Demo: Föreningen Exempelstöd",
        "eligible",
    ),
    (
        "Demo: Stödlinjen mot människohandel",
        "non_profit",
        ["0180", "0184"],
        ["prostitution-och-manniskohandel"],
        "Demo: Exempelkommunens socialtjänst",
        "eligible",
    ),
    (
        "Demo: Barnahus Exempelsyd",
        "authority",
        ["0136", "0138"],
        ["vald-i-nara-relationer"],
        "Demo: Exempelregionens socialtjänst",
        "eligible",
    ),
    (
        "Demo: Ett företag utanför länet",
        "other",
        [],
        ["vald-i-nara-relationer"],
        "Demo: Föreningen Exempelstöd",
        "not_eligible",
    ),
]
CALL_NOMINATIONS = [
    (
        "Demo: Kvinnojouren Exempelby",
        "non_profit",
        ["0188"],
        ["vald-i-nara-relationer"],
        "Demo: Exempelkommunens socialtjänst",
        "submitted",
    ),
    (
        "Demo: Tjejjouren Exempelstad",
        "non_profit",
        ["0181"],
        ["hedersrelaterat-vald-och-fortryck"],
        "Demo: Föreningen Exempelstöd",
        "draft",
    ),
]

MOTIVATION = (
    "Demo: ett långsiktigt arbete i bred samverkan, med den utsatta i fokus. "
    "Texten är påhittad för demonstrationen."
)


class Command(BaseCommand):
    help = "Load the demo editions and demo accounts (fictitious data, for `make run` only)."

    @transaction.atomic
    def handle(self, *args, **options):
        now = timezone.localtime()
        year = now.year
        if Edition.objects.filter(year=year).exists():
            self.stdout.write(f"The demo editions are there already ({year}, {year + 1}).")
        else:
            admin = self._user(ADMIN, "Demo", "Kansliet", staff=True)
            nominator = self._user(NOMINATOR, "Demo", "Nominerande")
            jury_edition = Edition.objects.create(
                year=year,
                ordinal=FIRST_KNOWN_ORDINAL + year - FIRST_KNOWN_YEAR,
                conference_date=(now + timedelta(weeks=10)).date(),
                conference_theme="Demo: samverkan för de utsatta",
                conference_theme_en="Demo: working together for those at risk",
                nominations_open_at=now - timedelta(weeks=16),
                nominations_close_at=now - timedelta(weeks=8),
                scoring_deadline=now + timedelta(weeks=3),
                announcement_at=now + timedelta(weeks=10),
                screening_completed_at=now - timedelta(weeks=4),
                screening_completed_by=admin,
            )
            self._nominations(jury_edition, nominator, admin, JURY_NOMINATIONS, first=1)
            self._jury(jury_edition, admin)
            call_edition = Edition.objects.create(
                year=year + 1,
                ordinal=jury_edition.ordinal + 1,
                call_text=(
                    "Demo: Vet du någon som gör skillnad för dem som utsätts för våld i nära "
                    "relationer? Nominera dem till Kvinnofridspriset!"
                ),
                nominations_open_at=now - timedelta(weeks=2),
                nominations_close_at=now + timedelta(weeks=6),
                scoring_deadline=now + timedelta(weeks=14),
                announcement_at=now + timedelta(weeks=20),
            )
            self._nominations(call_edition, nominator, admin, CALL_NOMINATIONS, first=20)
            self.stdout.write(f"Created the demo editions {jury_edition} and {call_edition}.")
        self._second_factors()
        self._explain(year)

    def _second_factors(self):
        # Again on every run: a used recovery code comes back, so the demo stays usable.
        users = get_user_model().objects.filter(email__in=[ADMIN, JURY[0][0]])
        for user in users:
            two_factor.replace_recovery_codes(user, DEMO_RECOVERY_CODES)
            TOTPDevice.objects.update_or_create(
                user=user, name="demo", defaults={"key": DEMO_TOTP_KEY, "confirmed": True}
            )

    def _user(self, email, first_name, last_name, *, staff=False):
        user, created = get_user_model().objects.get_or_create(
            email=email,
            defaults={
                "first_name": first_name,
                "last_name": last_name,
                "is_staff": staff,
                "is_superuser": staff,
            },
        )
        if created and staff:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        return user

    def _nominations(self, edition, nominator, admin, rows, *, first):
        for n, (nominee, kind, codes, areas, by, status) in enumerate(rows, first):
            # Group 8 numbers are non-profit organisations; these are made up.
            body = f"80202{n:04d}"
            number = f"{body[:6]}-{body[6:]}{luhn_check_digit(body)}"
            nomination = Nomination.objects.create(
                edition=edition,
                nominator=nominator,
                nominee_name=nominee,
                nominee_kind=kind,
                motivation=MOTIVATION,
                long_term_work="Demo: arbetet har pågått och utvecklats i flera år.",
                collaboration="Demo: samverkan med socialtjänst, polis och ideella aktörer.",
                results="Demo: fler upptäcks tidigt och får stöd snabbare.",
                nominator_organisation_name=by,
                nominator_organisation_number=number,
                contact_name="Demo Kontaktperson",
                contact_email=nominator.email,
                consent=True,
            )
            nomination.municipalities.set(Municipality.objects.filter(code__in=codes))
            nomination.areas.set(Area.objects.filter(slug__in=areas))
            if status == "draft":
                continue
            # Straight to the state wanted: the demo sends no receipts.
            edition.last_reference_sequence += 1
            edition.save(update_fields=["last_reference_sequence"])
            organisation = organisation_for(
                number=number, name=by, kind=Organisation.Kind.NON_PROFIT
            )
            nominee_row, _ = edition.nominees.get_or_create(
                match_key=nominee_match_key(nominee, None), defaults={"name": nominee}
            )
            screened = status in {"eligible", "not_eligible"}
            Nomination.objects.filter(pk=nomination.pk).update(
                status=status,
                submitted_at=timezone.now() - timedelta(weeks=9),
                reference_number=f"KFP-{edition.year}-{edition.last_reference_sequence:04d}",
                nominator_organisation=organisation,
                nominee=nominee_row,
                screened_by=admin if screened else None,
                screened_at=timezone.now() - timedelta(weeks=5) if screened else None,
                screening_reason=(
                    "Demo: verksamheten bedrivs inte i Stockholms län."
                    if status == "not_eligible"
                    else ""
                ),
            )

    def _jury(self, edition, admin):
        jurors.add_default_criteria(edition=edition, by=admin)
        partners = {partner.slug: partner for partner in Partner.objects.all()}
        members = []
        for email, first_name, last_name, role, partner, _done in JURY:
            user = self._user(email, first_name, last_name)
            members.append(
                Juror.objects.create(
                    edition=edition,
                    user=user,
                    role=role,
                    partner=partners[partner],
                    invited_at=timezone.now() - timedelta(weeks=6),
                    joined_at=timezone.now() - timedelta(weeks=5),
                )
            )
        chair = members[0]
        nominees = list(edition.nominees.filter(nominations__status="eligible").distinct())
        # One juror works for the organisation behind one nominee: declared and upheld.
        for juror in members:
            answers = {
                nominee.pk: conflicts.Answer(
                    conflicted=juror == members[2] and nominee == nominees[0],
                    reason="Demo: jag har arbetat med enheten." if juror == members[2] else "",
                )
                for nominee in nominees
            }
            conflicts.declare_conflicts(juror=juror, answers=answers, by=juror.user)
        declaration = members[2].conflicts.get(conflicted=True)
        conflicts.rule_on_conflict(
            declaration=declaration, upheld=True, reason="Demo: jäv föreligger.", by=chair.user
        )
        assignment.open_scoring(edition=edition, by=admin)
        criteria = list(edition.criteria.all())
        for j, (juror, row) in enumerate(zip(members, JURY, strict=True)):
            if not row[-1]:
                continue  # the last juror has not started: sign in as them to try scoring
            for nominee in scoring.assigned_candidates(juror):
                values = {
                    criterion.pk: 1 + (nominee.pk * 3 + criterion.pk * 2 + j * 7) % 5
                    for criterion in criteria
                }
                scoring.save_scores(juror=juror, nominee=nominee, values=values)
            scoring.submit_scores(juror=juror)

    def _explain(self, year):
        self.stdout.write(
            f"Demo accounts. The secretariat signs in to /admin/ as {ADMIN} "
            f"with the password {DEMO_PASSWORD!r}.\n"
            "The secretariat and the chair then give a second factor: one of the recovery codes "
            f"{', '.join(DEMO_RECOVERY_CODES)} (each works once per `make run`), or a code "
            "from an authenticator app given the key "
            f"{two_factor.secret_as_text(TOTPDevice(key=DEMO_TOTP_KEY))}.\n"
            "Everyone else signs in at /signin/ with their address; the link appears in the "
            "mail output below and in var/mail/:\n"
            f"  {NOMINATOR}  (nominator: the call for {year + 1} is open)\n"
            + "".join(
                f"  {email}  ({'chair' if role == 'chair' else 'juror'}, {year}"
                f"{'' if done else ', has not scored yet'})\n"
                for email, _f, _l, role, _p, done in JURY
            )
        )
