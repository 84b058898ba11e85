from django.core.management.base import BaseCommand

from privacy import services
from privacy.retention import BY_KEY


class Command(BaseCommand):
    help = "Apply the retention rules now (gallring); with --dry-run, only say what is due."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Count what would be erased; change nothing."
        )

    def handle(self, *args, dry_run: bool = False, **options):
        counts = services.due_counts() if dry_run else services.run_gallring()
        heading = "Would erase today (dry run):" if dry_run else "Erased:"
        self.stdout.write(heading)
        for key, count in counts.items():
            category = BY_KEY[key]
            self.stdout.write(f"  {key}: {count} ({category.setting} = {category.days} days)")
