"""The audit log in the admin: readable by those allowed, changeable by nobody."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from audit.models import Action, AuditEntry
from audit.services import record
from tests.factories import NominationFactory, SecretariatFactory, SuperuserFactory, UserFactory

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:audit_auditentry_changelist")


@pytest.fixture
def entry():
    staff = SecretariatFactory(first_name="Sara", last_name="Kansli")
    return record(
        Action.NOMINATION_OPENED,
        actor=staff,
        target=NominationFactory(submitted=True, reference_number="KFP-2070-0007"),
    )


def reader():
    staff = SecretariatFactory(first_name="Lena", last_name="Läsare")
    staff.user_permissions.add(Permission.objects.get(codename="view_audit_log"))
    return staff


def test_staff_with_the_view_permission_see_the_log_filtered_by_action_and_actor(client, entry):
    client.force_login(reader())

    listing = client.get(CHANGELIST, {"action": Action.NOMINATION_OPENED})
    html = listing.content.decode()

    assert listing.status_code == 200
    assert "KFP-2070-0007" in html
    assert "Sara Kansli (kansliet)" in html
    by_actor = client.get(CHANGELIST, {"actor": str(entry.actor_id)}).content.decode()
    assert "KFP-2070-0007" in by_actor
    other_actor = client.get(CHANGELIST, {"actor": str(entry.actor_id + 1000)}).content.decode()
    assert "KFP-2070-0007" not in other_actor


def test_staff_without_the_permission_and_nominators_do_not(client, entry):
    client.force_login(SecretariatFactory())
    assert client.get(CHANGELIST).status_code == 403

    client.force_login(UserFactory())
    response = client.get(CHANGELIST)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


@pytest.mark.parametrize("who", ["reader", "superuser"])
def test_nobody_adds_changes_or_deletes_an_entry_not_even_a_superuser(client, entry, who):
    client.force_login(reader() if who == "reader" else SuperuserFactory())
    change_url = reverse("admin:audit_auditentry_change", args=[entry.pk])

    assert client.get(reverse("admin:audit_auditentry_add")).status_code == 403
    assert client.get(reverse("admin:audit_auditentry_delete", args=[entry.pk])).status_code == 403
    page = client.get(change_url)
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    assert client.post(change_url, {"target_label": "changed"}).status_code == 403
    stored = AuditEntry.objects.get(pk=entry.pk)
    assert stored.target_label == "KFP-2070-0007"
