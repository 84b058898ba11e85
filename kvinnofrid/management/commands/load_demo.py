"""Load made-up demo data; `make run` calls this.

Four editions tell the year's story, one stage each: last year's jury has decided and its
announcement, written and approved by the chair and the secretariat, is scheduled a few
minutes after loading (watch the worker publish it: the winner on the home page, the archive
and the feed, the notifications in the mail sink); this year's is with the jury (scoring open,
a lenient and a harsh juror so that the raw and the normalised ranks differ, one juror who has
not declared conflicts yet); next year's call has closed and waits for screening; the year
after's call is open. Everything is fictitious and says so ("Demo"); nothing of it is loaded
outside the demo. Running it again changes nothing. The demo sends no set-up mail (no
invitations, receipts or workflow mails): only the publication's notifications.
"""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from stdnum import luhn

from accounts import two_factor
from jury.models import Juror, Partner
from jury.selectors.scoring import assigned_candidates
from jury.services import assignment, conflicts, jurors, scoring, vote
from nominations.models import Area, Edition, Municipality, Nomination, Organisation
from nominations.services import nominee_match_key, organisation_for
from outbox.models import OutboxMessage
from publication import services as publication
from publication.models import Announcement

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
PAST_NOMINATIONS = [
    (
        "Demo: Samverkansteamet i Exempelstad",
        "municipality",
        ["0180"],
        ["vald-i-nara-relationer"],
        "Demo: Föreningen Exempelstöd",
        "eligible",
    ),
    (
        "Demo: Kvinnofridsmottagningen vid Exempelsjukhuset",
        "region",
        ["0184"],
        ["vald-i-nara-relationer"],
        "Demo: Exempelkommunens socialtjänst",
        "eligible",
    ),
    (
        "Demo: Ungdomsjouren Exempelö",
        "non_profit",
        ["0187"],
        ["hedersrelaterat-vald-och-fortryck"],
        "Demo: Föreningen Exempelstöd",
        "eligible",
    ),
    (
        "Demo: Exempelkommunens våldsförebyggande enhet",
        "municipality",
        ["0126"],
        ["prostitution-och-manniskohandel"],
        "Demo: Exempelregionens socialtjänst",
        "eligible",
    ),
]
SCREENING_NOMINATIONS = [
    (
        "Demo: Mansmottagningen Exempelvik",
        "non_profit",
        ["0186"],
        ["vald-i-nara-relationer"],
        "Demo: Föreningen Exempelstöd",
        "submitted",
    ),
    (
        "Demo: Hedersteamet i Exempelby",
        "municipality",
        ["0188"],
        ["hedersrelaterat-vald-och-fortryck"],
        "Demo: Exempelkommunens socialtjänst",
        "submitted",
    ),
    (
        "Demo: Ett förbund i ett annat län",
        "other",
        [],
        ["vald-i-nara-relationer"],
        "Demo: Exempelregionens socialtjänst",
        "submitted",
    ),
]
# Each juror's score of the nominees, in their order (None: conflicted, not scored). The chair
# is moderate, the first juror lenient and narrow, the third harsh and wide: the raw means
# rank the nominees otherwise than the normalised ones.
SCORES = [
    [4, 3, 4, 2],
    [5, 5, 4, 4],
    [None, 4, 3, 2],
    [1, 2, 5, 1],
    [3, 4, 5, 3],
]
# Last year's: the winner (the first) ahead on both, the runner-up close behind.
PAST_SCORES = [
    [5, 4, 3, 2],
    [5, 5, 4, 4],
    [4, 4, 3, 3],
    [4, 2, 3, 1],
    [5, 4, 4, 3],
]
PUBLICATION_DELAY = timedelta(minutes=3)
PAST_WINNER = PAST_NOMINATIONS[0][0]
LEAD = (
    "Demo: Samverkansteamet i Exempelstad får priset för sitt långsiktiga arbete med att göra "
    "skillnad för dem som utsätts eller har utsatts för våld i nära relationer."
)
PRESS_RELEASE = """Demo: Varje år delar Operation Kvinnofrid ut Kvinnofridspriset för att belöna \
särskilt goda insatser i arbetet mot våld i nära relationer, hedersrelaterat våld och förtryck \
samt prostitution och människohandel för sexuella ändamål.

För sex år sedan samlade Exempelstad socialtjänst, skola, hälso- och sjukvård och polis i ett \
gemensamt team. I dag finns en väg in för den som söker stöd, och ärenden upptäcks tidigare än \
förut. Teamet erbjuder också samtal till den som utövar våld, för att bryta mönstret.

## Bred samverkan

– Den som utsätts för våld har rätt till samhällets snabba stöd. Samverkansteamet visar hur \
mycket som går att göra när samhällets olika delar arbetar tillsammans, säger Demo \
Ordförande, ordförande för juryn.

## "Göra skillnad på riktigt"

– Vi är glada och tacksamma över att vårt arbete uppmärksammas, inte minst för alla som lever \
i relationer där de utsätts för våld, säger teamets samordnare, som tog emot priset på Operation \
Kvinnofrids årliga konferens.

*Texten är påhittad för demonstrationen.*"""
CITATION = (
    "Demo: Samverkansteamet i Exempelstad har arbetat långsiktigt för att på riktigt kunna göra "
    "skillnad för alla som utsätts för våld i en nära relation. Teamet har byggt en "
    "välfungerande samverkan, både inom kommunen och med externa aktörer, med den utsatta i "
    "fokus. Vi vill med detta pris uppmärksamma ett uthålligt och engagerat arbete. (Texten är "
    "påhittad för demonstrationen.)"
)
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
            self.stdout.write(f"The demo editions are there already ({year - 1} to {year + 2}).")
        else:
            admin = self._user(ADMIN, "Demo", "Kansliet", staff=True)
            nominator = self._user(NOMINATOR, "Demo", "Nominerande")
            self._past_edition(year - 1, now, nominator, admin)
            jury_edition = self._edition(
                year,
                conference_date=(now + timedelta(weeks=10)).date(),
                conference_theme="Demo: samverkan för de utsatta",
                conference_theme_en="Demo: working together for those at risk",
                nominations_open_at=now - timedelta(weeks=16),
                nominations_close_at=now - timedelta(weeks=8),
                scoring_deadline=now + timedelta(weeks=3),
                # Planned: the chair's shortlist page shows it, to confirm or move.
                ballot_deadline=now + timedelta(weeks=5),
                announcement_at=now + timedelta(weeks=10),
                screening_completed_at=now - timedelta(weeks=4),
                screening_completed_by=admin,
            )
            self._nominations(jury_edition, nominator, admin, JURY_NOMINATIONS, first=1)
            self._jury(jury_edition, admin)
            screening_edition = self._edition(
                year + 1,
                nominations_open_at=now - timedelta(weeks=10),
                nominations_close_at=now - timedelta(days=2),
                scoring_deadline=now + timedelta(weeks=20),
                announcement_at=now + timedelta(weeks=30),
            )
            self._nominations(screening_edition, nominator, admin, SCREENING_NOMINATIONS, first=30)
            call_edition = self._edition(
                year + 2,
                call_text=(
                    "Demo: Vet du någon som gör skillnad för dem som utsätts för våld i nära "
                    "relationer? Nominera dem till Kvinnofridspriset!"
                ),
                call_text_en=(
                    "Demo: Do you know someone who makes a difference for those subjected to "
                    "violence in close relationships? Nominate them for Kvinnofridspriset!"
                ),
                nominations_open_at=now - timedelta(weeks=2),
                nominations_close_at=now + timedelta(weeks=6),
                scoring_deadline=now + timedelta(weeks=14),
                announcement_at=now + timedelta(weeks=20),
            )
            self._nominations(call_edition, nominator, admin, CALL_NOMINATIONS, first=20)
            # The set-up went through the services, which mail as they would for real; the
            # demo keeps only what the publication will send.
            OutboxMessage.objects.all().delete()
            self.stdout.write(
                f"Created the demo editions {year - 1} to {year + 2}: "
                f"{jury_edition} with the jury, {screening_edition} in screening, "
                f"{call_edition} open for nominations."
            )
        self._second_factors()
        self._explain(year)

    def _edition(self, year, **fields):
        return Edition.objects.create(
            year=year, ordinal=FIRST_KNOWN_ORDINAL + year - FIRST_KNOWN_YEAR, **fields
        )

    def _past_edition(self, year, now, nominator, admin):
        """Last year's: decided, its announcement approved and due in a few minutes."""
        edition = self._edition(
            year,
            conference_date=now.date(),
            conference_theme="Demo: rättssäkerhet och kvalitet",
            conference_theme_en="Demo: due process and quality",
            nominations_open_at=now - timedelta(weeks=60),
            nominations_close_at=now - timedelta(weeks=52),
            # Open while the demo scores through the services, moved back once decided.
            scoring_deadline=now + timedelta(days=1),
            announcement_at=now + PUBLICATION_DELAY,
            screening_completed_at=now - timedelta(weeks=48),
            screening_completed_by=admin,
        )
        self._nominations(edition, nominator, admin, PAST_NOMINATIONS, first=1)
        members = self._jury(edition, admin, everyone_declares=True, scores=PAST_SCORES)
        chair = members[0]
        nominees = self._candidates(edition)
        winner, *others = nominees
        vote.set_shortlist(
            edition=edition,
            nominees=nominees[:3],
            by=chair.user,
            ballot_deadline=now + timedelta(days=1),
        )
        first, second, third = nominees[:3]
        for j, juror in enumerate(members):
            # Most rank as the scores do; one juror puts the runner-up first.
            order = [second, first, third] if j == 3 else [first, second, third]
            vote.cast_ballot(juror=juror, ranking_groups=[[nominee.pk] for nominee in order])
        vote.record_decision(
            edition=edition,
            winner=winner,
            honourable_mentions=[others[0]],
            minutes="Demo: juryn enades om vinnaren efter omröstningen.",
            by=chair.user,
        )
        Edition.objects.filter(pk=edition.pk).update(
            scoring_deadline=now - timedelta(weeks=44), ballot_deadline=now - timedelta(weeks=42)
        )
        announcement = Announcement.objects.get(edition=edition)
        announcement = publication.update_announcement(
            announcement,
            by=chair.user,
            data={"lead": LEAD, "citation": CITATION, "press_release": PRESS_RELEASE},
            expected_version=announcement.version,
        )
        for approver in (chair.user, admin):
            publication.approve_announcement(
                announcement, by=approver, version=announcement.version
            )
        return edition

    def _candidates(self, edition):
        return list(
            edition.nominees.filter(nominations__status="eligible").distinct().order_by("pk")
        )

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
            number = f"{body[:6]}-{body[6:]}{luhn.calc_check_digit(body)}"
            nomination = edition.nominations.create(
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

    def _jury(self, edition, admin, *, everyone_declares=False, scores=SCORES):
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
        nominees = self._candidates(edition)
        # This year one juror works for the organisation behind a nominee (declared and
        # upheld), and the last has not declared yet: sign in as them to see that step.
        for j, juror in enumerate(members):
            if j == len(members) - 1 and not everyone_declares:
                continue
            conflicted = not everyone_declares and j == 2
            answers = {
                nominee.pk: conflicts.Answer(
                    conflicted=conflicted and n == 0,
                    reason="Demo: jag har arbetat med enheten." if conflicted and n == 0 else "",
                )
                for n, nominee in enumerate(nominees)
            }
            conflicts.declare_conflicts(juror=juror, answers=answers, by=juror.user)
        if not everyone_declares:
            declaration = members[2].conflicts.get(conflicted=True)
            conflicts.rule_on_conflict(
                declaration=declaration, upheld=True, reason="Demo: jäv föreligger.", by=chair.user
            )
        assignment.open_scoring(edition=edition, by=admin)
        criteria = list(edition.criteria.all())
        for j, (juror, row) in enumerate(zip(members, JURY, strict=True)):
            if not (row[-1] or everyone_declares):
                continue  # the last juror has not started: sign in as them to try scoring
            scorable = {nominee.pk for nominee in assigned_candidates(juror)}
            for n, nominee in enumerate(nominees):
                if nominee.pk not in scorable:
                    continue
                view = scores[j][n] or 3
                # A point up or down on some criteria, as people score, around their view.
                values = {
                    criterion.pk: min(5, max(1, view + (0, 0, 1, -1)[(c + n + j) % 4]))
                    for c, criterion in enumerate(criteria)
                }
                scoring.save_scores(juror=juror, nominee=nominee, values=values)
            scoring.submit_scores(juror=juror)
        return members

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
            f"  {NOMINATOR}  (nominator: the call for {year + 2} is open; {year + 1}'s "
            "nominations wait for screening)\n"
            + "".join(
                f"  {email}  ({'chair' if role == 'chair' else 'juror'}, {year}"
                f"{'' if done else ', has not declared conflicts or scored yet'})\n"
                for email, _f, _l, role, _p, done in JURY
            )
        )
        announcement = Announcement.objects.filter(edition__year=year - 1).first()
        if announcement is None:
            return
        if announcement.published_at:
            when = timezone.localtime(announcement.published_at).strftime("%H:%M")
            self.stdout.write(
                f"The winner of {year - 1}, {PAST_WINNER}, was published at {when}: see / and "
                "/prize/.\n"
            )
        elif announcement.scheduled_at:
            when = timezone.localtime(announcement.scheduled_at).strftime("%H:%M")
            self.stdout.write(
                f"Watch the worker publish the winner of {year - 1} at {when} (in about "
                f"{int(PUBLICATION_DELAY.total_seconds() // 60)} minutes): then it appears on "
                "the home page, /prize/ and /prize/feed/, and the notifications in the mail "
                "output.\n"
            )
