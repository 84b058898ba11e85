from django.core.management.base import BaseCommand, CommandError

from audit.services import verify


class Command(BaseCommand):
    help = (
        "Recompute every audit entry's digest and the hash chain, and compare them with the "
        "chain head. Prints the entry count and the head hash; exits non-zero when broken."
    )

    def handle(self, *args, **options):
        result = verify()
        if result.broken is not None:
            broken = result.broken
            where = (
                f"entry {broken.entry_id} ({broken.at.isoformat()}, {broken.action})"
                if broken.entry_id is not None
                else "the chain head"
            )
            raise CommandError(
                f"The audit log is broken at {where}: {broken.reason}. "
                f"The {result.count} entries before it verify."
            )
        self.stdout.write(f"OK: {result.count} entries, head {result.head_hash}")
