"""Load made-up demo data for the current edition; `make run` calls this.

Everything created here is fictitious and says so ("Demo"), and nothing of it is loaded
outside the demo. Running it again changes nothing that is already there.
"""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from nominations.models import Area, Edition, Municipality, Nomination, Organisation
from nominations.services import nominee_match_key, organisation_for
from nominations.validators import luhn_check_digit

FIRST_KNOWN_YEAR, FIRST_KNOWN_ORDINAL = 2023, 8

DEMO_PASSWORD = "kvinnofrid-demo"  # noqa: S105 (printed on purpose: demo only)
DEMO_ACCOUNTS = [
    # (e-mail, first name, last name, is administrator)
    ("kansliet@demo.kvinnofrid.example", "Demo", "Kansliet", True),
    ("nominerar@demo.kvinnofrid.example", "Demo", "Nominerande", False),
]

# (nominee, kind, municipality codes, area slugs, nominating organisation, submitted)
DEMO_NOMINATIONS = [
    (
        "Demo: Relationsvåldsteamet i Exempelkommun",
        "municipality",
        ["0126", "0127"],
        ["vald-i-nara-relationer"],
        "Demo: Föreningen Exempelstöd",
        True,
    ),
    (
        "Demo: Hedersvåldsenheten Exempelregionen",
        "region",
        ["0180"],
        ["hedersrelaterat-vald-och-fortryck"],
        "Demo: Föreningen Exempelstöd",
        True,
    ),
    (
        "Demo: Stödlinjen mot människohandel",
        "non_profit",
        ["0180", "0184"],
        ["prostitution-och-manniskohandel"],
        "Demo: Exempelkommunens socialtjänst",
        False,
    ),
]


class Command(BaseCommand):
    help = "Load the demo edition and demo accounts (fictitious data, for `make run` only)."

    @transaction.atomic
    def handle(self, *args, **options):
        now = timezone.localtime()
        edition, created = Edition.objects.get_or_create(
            year=now.year,
            defaults={
                "ordinal": FIRST_KNOWN_ORDINAL + now.year - FIRST_KNOWN_YEAR,
                "conference_date": (now + timedelta(weeks=12)).date(),
                "conference_theme": "Demo: samverkan för de utsatta",
                "conference_theme_en": "Demo: working together for those at risk",
                "nominations_open_at": now - timedelta(weeks=3),
                "nominations_close_at": now + timedelta(weeks=4),
                "scoring_deadline": now + timedelta(weeks=8),
                "announcement_at": now + timedelta(weeks=12),
            },
        )
        self.stdout.write(f"{'Created' if created else 'Kept'} the demo edition {edition}.")

        User = get_user_model()
        for email, first_name, last_name, is_admin in DEMO_ACCOUNTS:
            user, created = User.objects.get_or_create(
                email=email,
                defaults={
                    "first_name": first_name,
                    "last_name": last_name,
                    "is_staff": is_admin,
                    "is_superuser": is_admin,
                },
            )
            if created:
                user.set_password(DEMO_PASSWORD)
                user.save(update_fields=["password"])
        self._load_nominations(edition, User.objects.get(email=DEMO_ACCOUNTS[1][0]))
        self.stdout.write(f"Demo accounts (password {DEMO_PASSWORD!r}):")
        for email, _first, _last, is_admin in DEMO_ACCOUNTS:
            self.stdout.write(f"  {email}{'  (administrator)' if is_admin else ''}")

    def _load_nominations(self, edition, nominator):
        if edition.nominations.exists():
            return
        for n, (nominee, kind, codes, areas, by, submitted) in enumerate(DEMO_NOMINATIONS, 1):
            # Group 8 numbers are non-profit organisations; these are made up.
            body = f"80202{n:04d}"
            number = f"{body[:6]}-{body[6:]}{luhn_check_digit(body)}"
            nomination = Nomination.objects.create(
                edition=edition,
                nominator=nominator,
                nominee_name=nominee,
                nominee_kind=kind,
                motivation=(
                    "Demo: ett långsiktigt arbete i bred samverkan, med den utsatta i fokus. "
                    "Texten är påhittad för demonstrationen."
                ),
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
            if submitted:
                # Straight to the submitted state: the demo sends no receipts.
                edition.last_reference_sequence += 1
                organisation = organisation_for(
                    number=number, name=by, kind=Organisation.Kind.NON_PROFIT
                )
                nominee_row, _ = edition.nominees.get_or_create(
                    match_key=nominee_match_key(nominee, None), defaults={"name": nominee}
                )
                Nomination.objects.filter(pk=nomination.pk).update(
                    status=Nomination.Status.SUBMITTED,
                    submitted_at=timezone.now(),
                    reference_number=f"KFP-{edition.year}-{edition.last_reference_sequence:04d}",
                    nominator_organisation=organisation,
                    nominee=nominee_row,
                )
        edition.save(update_fields=["last_reference_sequence"])
        self.stdout.write(f"Created {len(DEMO_NOMINATIONS)} demo nominations.")
