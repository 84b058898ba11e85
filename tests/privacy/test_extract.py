"""The register extract: every model is either in it or excluded with a reason, and for a
person who was nominator, contact and juror it lists every piece of data put in about them."""

import json

import pytest
from axes.models import AccessLog
from django.apps import apps
from django.utils import timezone

from accounts.models import SignInToken
from audit.models import Action, AuditEntry
from audit.services import record
from jury.models import Ballot
from outbox.models import OutboxMessage
from privacy import extract, services
from tests.factories import (
    AttachmentFactory,
    EditionFactory,
    NominationFactory,
    OutboxMessageFactory,
    SubscriberFactory,
    UserFactory,
    juror_who_wrote,
)

pytestmark = pytest.mark.django_db

EMAIL = "anna.andersson@example.org"


def test_every_model_is_in_the_extract_or_excluded_with_a_reason():
    models = {model._meta.label for model in apps.get_models()}

    assert extract.EXTRACTED.isdisjoint(extract.NOT_EXTRACTED)
    missing = sorted(models - extract.EXTRACTED - set(extract.NOT_EXTRACTED))
    assert missing == [], f"Models neither in the register extract nor excluded: {missing}"
    stale = sorted((extract.EXTRACTED | set(extract.NOT_EXTRACTED)) - models)
    assert stale == []
    assert all(reason.strip() for reason in extract.NOT_EXTRACTED.values())


@pytest.fixture
def anna():
    """Anna is a nominator, another nominator's contact person and a juror: the needles
    are what the extract must find."""
    user = UserFactory(email=EMAIL, first_name="Anna", last_name="Andersson", language="en")
    edition = EditionFactory()
    NominationFactory(
        edition=edition,
        nominator=user,
        submitted=True,
        motivation="NÅL-motivering från Anna",
        contact_phone="070-111 11 11",
    )
    as_contact = NominationFactory(
        edition=edition,
        submitted=True,
        contact_name="Anna Andersson",
        contact_email="Anna.Andersson@example.org",
        contact_phone="070-222 22 22",
    )
    AttachmentFactory(nomination=as_contact, original_name="NÅL-bilaga.pdf")
    juror, nominee = juror_who_wrote(
        user,
        name="NÅL-nominerad",
        comment="NÅL-kommentar",
        note="NÅL-anteckning",
        conflict="NÅL-jäv",
        conflict_event="NÅL-jävshändelse",
    )
    Ballot.objects.create(juror=juror, ranking=[[nominee.pk]], submitted_at=timezone.now())
    OutboxMessageFactory(recipient=EMAIL, subject="NÅL-ämnesrad")
    SubscriberFactory(email=EMAIL)
    SignInToken.objects.create(email=EMAIL, token_hash="b" * 64, expires_at=timezone.now())
    AccessLog.objects.create(username=EMAIL, ip_address="10.9.9.9", user_agent="NÅL-webbläsare")
    record(Action.SCORES_SAVED, actor=user, target=juror)
    # Someone else's data, which must not appear.
    NominationFactory(contact_name="Bertil Annan", motivation="Inte Annas")
    OutboxMessageFactory(recipient="bertil@example.org", subject="Inte Annas ämne")
    return user


NEEDLES = {
    "account": ["Anna", "Andersson", EMAIL],
    "nominations": ["NÅL-motivering från Anna", "070-111 11 11", "070-222 22 22"],
    "attachments": ["NÅL-bilaga.pdf"],
    "jury_roles": [],
    "scores": ["NÅL-kommentar", "NÅL-nominerad"],
    "notes": ["NÅL-anteckning"],
    "conflicts": ["NÅL-jäv"],
    "conflict_events": ["NÅL-jävshändelse"],
    "ballots": [],
    "emails": ["NÅL-ämnesrad"],
    "sign_in_links": [],
    "subscriptions": [],
    "password_sign_ins": ["10.9.9.9", "NÅL-webbläsare"],
    "audit": [Action.SCORES_SAVED.value],
}


def test_the_extract_lists_every_piece_of_data_put_in_about_the_person(anna):
    data = json.loads(extract.as_json(extract.build(EMAIL.upper())))
    sections = {section["key"]: section["records"] for section in data["sections"]}

    for key, needles in NEEDLES.items():
        assert sections[key], f"The extract's section {key!r} is empty"
        text = json.dumps(sections[key], ensure_ascii=False)
        for needle in needles:
            assert needle in text, f"{needle!r} missing from the section {key!r}"
    assert len(sections["nominations"]) == 2
    everything = json.dumps(data, ensure_ascii=False)
    assert "Bertil" not in everything
    assert "Inte Annas" not in everything


def test_the_pdf_is_a_readable_document(anna):
    content = extract.as_pdf(extract.build(EMAIL))

    assert content.startswith(b"%PDF-")
    assert len(content) > 2000


def test_producing_an_extract_is_recorded_without_its_content(anna):
    services.register_extract(email=EMAIL, file_format="json", by=anna)

    entry = AuditEntry.objects.filter(action=Action.REGISTER_EXTRACT).get()
    assert entry.data == {"format": "json", "own": True}
    assert entry.target_id == str(anna.pk)
    assert EMAIL not in json.dumps(
        [entry.actor_label, entry.target_label, entry.data], ensure_ascii=False
    )


def test_an_unknown_format_is_refused(anna):
    with pytest.raises(ValueError, match="Unknown format"):
        services.register_extract(email=EMAIL, file_format="xml", by=anna)
    assert not OutboxMessage.objects.filter(template="register_extract").exists()
