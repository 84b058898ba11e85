"""Load made-up demo data for the current edition; `make run` calls this.

Everything created here is fictitious and says so ("Demo"), and nothing of it is loaded
outside the demo. Running it again changes nothing that is already there.
"""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from nominations.models import Edition

FIRST_KNOWN_YEAR, FIRST_KNOWN_ORDINAL = 2023, 8

DEMO_PASSWORD = "kvinnofrid-demo"  # noqa: S105 (printed on purpose: demo only)
DEMO_ACCOUNTS = [
    # (e-mail, first name, last name, is administrator)
    ("kansliet@demo.kvinnofrid.example", "Demo", "Kansliet", True),
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
        self.stdout.write(f"Demo accounts (password {DEMO_PASSWORD!r}):")
        for email, _first, _last, is_admin in DEMO_ACCOUNTS:
            self.stdout.write(f"  {email}{'  (administrator)' if is_admin else ''}")
