import pytest
from django.core.management import call_command

from jury.models import Juror, Score
from nominations.models import Edition, Nomination
from outbox.models import OutboxMessage

pytestmark = pytest.mark.django_db


def test_demo_loads_a_jury_at_work_and_an_open_call_once():
    call_command("load_demo", stdout=None)
    call_command("load_demo", stdout=None)

    jury_edition = Edition.objects.current()
    call_edition = Edition.objects.for_the_call()
    assert call_edition.year == jury_edition.year + 1
    assert jury_edition.phase == Edition.Phase.JURY
    assert call_edition.phase == Edition.Phase.OPEN
    assert Juror.objects.filter(edition=jury_edition).count() == 5
    assert (
        Juror.objects.filter(edition=jury_edition, scores_submitted_at__isnull=False).count() == 4
    )
    assert Score.objects.filter(juror__edition=jury_edition).exists()
    assert all(
        name.startswith("Demo:")
        for name in Nomination.objects.values_list("nominee_name", flat=True)
    )
    # The demo sends nothing: no invitations, no receipts.
    assert not OutboxMessage.objects.exists()


def test_demo_admin_and_chair_can_give_a_second_factor(capsys):
    from django_otp.plugins.otp_static.models import StaticToken

    from kvinnofrid import two_factor
    from kvinnofrid.management.commands.load_demo import ADMIN, DEMO_RECOVERY_CODES, JURY
    from kvinnofrid.models import User

    call_command("load_demo")
    admin = User.objects.get(email=ADMIN)
    assert two_factor.consume_recovery_code(admin, DEMO_RECOVERY_CODES[0]) is not None
    call_command("load_demo")

    output = capsys.readouterr().out
    assert DEMO_RECOVERY_CODES[0] in output
    for email in (ADMIN, JURY[0][0]):
        user = User.objects.get(email=email)
        assert two_factor.required_for(user)
        assert two_factor.has_device(user)
    assert StaticToken.objects.filter(device__user=admin).count() == 10
