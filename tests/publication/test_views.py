"""The writers' pages: who may open them, and what each form does."""

import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from publication.models import Announcement, AnnouncementEvent
from tests.factories import EditionFactory, JurorFactory, UserFactory
from tests.publication.conftest import WINNER, approve_both


def _url(decided, action: str = "") -> str:
    return f"/prize/{decided.edition.year}/announcement/{action}"


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (111, 44, 145)).save(buffer, format="PNG")
    return buffer.getvalue()


def test_anonymous_is_sent_to_sign_in(client, decided):
    response = client.get(_url(decided))

    assert response.status_code == 302
    assert response["Location"].startswith("/signin/?next=")


@pytest.mark.parametrize("who", ["nominator", "member", "other_jury"])
def test_nobody_else_learns_that_a_decision_exists(client, decided, who):
    person = {
        "nominator": lambda: decided.winner_nominators[0],
        "member": lambda: decided.member,
        "other_jury": lambda: JurorFactory(role="chair", edition=EditionFactory(year=2077)).user,
    }[who]()
    client.force_login(person)

    for action in ("", "preview/", "approve/", "schedule/", "publish/"):
        method = client.get if action == "" else client.post
        response = method(_url(decided, action))
        assert response.status_code == 404, action
        assert WINNER not in response.content.decode()


def test_the_editor_shows_the_decisions_winner_the_comments_and_the_history(client, decided):
    client.force_login(decided.chair)

    html = client.get(_url(decided)).content.decode()

    assert f'<dd class="col-sm-8 announcement-winner">{WINNER}</dd>' in html
    assert decided.runner_up.name in html
    assert "Fem års uthålligt arbete." in html
    assert "Samverkar brett." in html
    assert "Utkast skapat från juryns beslut" in html
    assert "Cache-Control" in client.get(_url(decided)).headers
    assert "no-cache" in client.get(_url(decided))["Cache-Control"]


def test_starting_from_the_comments_prefills_an_unsaved_draft_by_criterion(client, decided):
    client.force_login(decided.chair)

    html = client.get(_url(decided) + "?start=comments").content.decode()

    assert "**Långsiktighet:** Fem års uthålligt arbete." in html
    assert "**Samverkan:** Samverkar brett." in html
    assert Announcement.objects.get(pk=decided.announcement.pk).citation == ""


def test_saving_records_the_edit_and_keeps_what_was_typed_on_error(client, decided):
    client.force_login(decided.chair)
    data = {"version": 1, "lead": "x" * 401, "citation": "Min text som inte får försvinna."}

    response = client.post(_url(decided), data)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Håll ingressen till en eller två meningar" in html
    assert "Min text som inte får försvinna." in html
    assert Announcement.objects.get(pk=decided.announcement.pk).version == 1


def test_a_stale_tab_is_told_and_its_text_kept(client, decided):
    client.force_login(decided.chair)
    client.post(_url(decided), {"version": 1, "citation": "Först sparat."})

    response = client.post(_url(decided), {"version": 1, "citation": "Från gamla fliken."})

    html = response.content.decode()
    assert "Någon annan har sparat offentliggörandet" in html
    assert "Från gamla fliken." in html
    assert Announcement.objects.get(pk=decided.announcement.pk).citation == "Först sparat."


def test_a_photo_is_checked_by_its_content_and_needs_a_description(client, decided):
    client.force_login(decided.secretariat)
    fake = SimpleUploadedFile("vinnare.png", b"<html>not an image</html>", "image/png")

    response = client.post(_url(decided), {"version": 1, "photo": fake, "photo_alt": "Bild"})
    assert "photo" in response.context["form"].errors

    real = SimpleUploadedFile("vinnare.png", _png(), "image/png")
    response = client.post(_url(decided), {"version": 1, "photo": real, "photo_alt": ""})
    assert "Beskriv bilden" in response.content.decode()

    real = SimpleUploadedFile("vinnare.png", _png(), "image/png")
    client.post(_url(decided), {"version": 1, "photo": real, "photo_alt": "Teamet med priset"})
    announcement = Announcement.objects.get(pk=decided.announcement.pk)
    assert announcement.photo.name.startswith("announcements/")
    assert "vinnare" not in announcement.photo.name


def test_the_photo_is_embargoed_with_the_winner(client, decided):
    client.force_login(decided.secretariat)
    real = SimpleUploadedFile("vinnare.png", _png(), "image/png")
    client.post(_url(decided), {"version": 1, "photo": real, "photo_alt": "Teamet"})
    photo = f"/prize/{decided.edition.year}/photo/"
    response = client.get(photo)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == _png()
    assert response["Cache-Control"] == "private, no-store"
    client.logout()

    assert client.get(photo).status_code == 404


def test_approving_through_the_page(client, decided):
    client.force_login(decided.chair)
    client.post(_url(decided), {"version": 1, "citation": "Text.", "lead": "Ingress."})

    client.post(_url(decided, "approve/"), {"version": 2})
    html = client.get(_url(decided)).content.decode()

    assert "Ditt godkännande är registrerat." in html
    assert AnnouncementEvent.objects.filter(kind="approved", role="chair").count() == 1
    assert "Godkänn som juryns ordförande" not in html


def test_the_secretariat_sets_the_time_and_a_past_time_is_refused(client, decided):
    approve_both(decided)
    client.force_login(decided.secretariat)

    past = client.post(_url(decided, "schedule/"), {"publish_at": "2020-01-01T10:00"})
    assert "Välj en tid framåt i tiden" in past.content.decode()

    moment = timezone.localtime(timezone.now() + timedelta(days=3)).replace(second=0, microsecond=0)
    client.post(_url(decided, "schedule/"), {"publish_at": moment.strftime("%Y-%m-%dT%H:%M")})
    announcement = Announcement.objects.get(pk=decided.announcement.pk)
    assert announcement.scheduled_at == moment


def test_the_chair_cannot_publish_now(client, decided):
    approve_both(decided)
    client.force_login(decided.chair)

    response = client.post(_url(decided, "publish/"))

    assert response.status_code == 403
    assert Announcement.objects.get(pk=decided.announcement.pk).scheduled_at != None  # noqa: E711


def test_publish_now_schedules_it_at_once_and_queues_the_task(
    client, decided, django_capture_on_commit_callbacks
):
    approve_both(decided)
    client.force_login(decided.secretariat)

    with django_capture_on_commit_callbacks() as callbacks:
        client.post(_url(decided, "publish/"))

    announcement = Announcement.objects.get(pk=decided.announcement.pk)
    assert announcement.scheduled_at <= timezone.now()
    assert announcement.events.last().kind == "publish_now"
    assert len(callbacks) == 1


def test_a_superuser_outside_the_jury_writes_as_the_secretariat(client, decided):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    html = client.get(_url(decided)).content.decode()

    assert "Godkänn för kansliet" not in html  # nothing to approve yet: no citation
    assert "Godkänn som juryns ordförande" not in html


def test_the_photo_lives_in_the_shared_storage_and_is_streamed_from_it(
    client, settings, decided, object_storage
):
    client.force_login(decided.secretariat)
    real = SimpleUploadedFile("vinnare.png", _png(), "image/png")
    client.post(_url(decided), {"version": 1, "photo": real, "photo_alt": "Teamet"})
    announcement = Announcement.objects.get(pk=decided.announcement.pk)
    photo = f"/prize/{decided.edition.year}/photo/"

    with object_storage.open(announcement.photo.name) as stored:
        assert stored.read() == _png()
    response = client.get(photo)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == _png()
    assert not settings.MEDIA_ROOT.exists()

    object_storage.delete(announcement.photo.name)
    assert client.get(photo).status_code == 404
