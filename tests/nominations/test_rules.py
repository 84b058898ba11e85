import pytest

from nominations.rules import is_secretariat
from tests.factories import SecretariatFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_the_secretariat_is_active_staff():
    assert is_secretariat(SecretariatFactory())
    assert not is_secretariat(UserFactory())


def test_a_deactivated_staff_member_is_no_longer_the_secretariat():
    # Deactivating is how an account is closed; the sign-in backend refuses an inactive
    # user too, but the predicate must not lean on it (templates and tasks call it).
    former = SecretariatFactory(is_active=False)
    assert former.is_staff
    assert not is_secretariat(former)
    assert not former.has_perm("nominations.screen")
