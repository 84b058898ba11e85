"""Run by test_embedded_default.py in a process of its own, on `make run`'s SQLite database:
every role's main pages, answered without a server error. Prints one line per page."""

from django.test import Client

from accounts.models import User
from jury.models import Juror
from nominations.models import Nomination
from nominations.services import organisation_for
from publication.rules import is_secretariat
from tests.helpers import force_login_both_factors


def client_for(user) -> Client:
    client = Client(HTTP_HOST="localhost", raise_request_exception=False)
    force_login_both_factors(client, user)
    return client


def show(client: Client, path: str) -> None:
    response = client.get(path)
    print(response.status_code, path)


anonymous = Client(HTTP_HOST="localhost", raise_request_exception=False)
for path in ("/", "/en/", "/call/", "/prize/", "/prize/feed/", "/privacy/", "/signin/"):
    show(anonymous, path)

draft = Nomination.objects.filter(status=Nomination.Status.DRAFT).first()
nominator = client_for(draft.nominator)
for path in ("/start/", "/nominations/", f"/nominations/{draft.pk}/edit/"):
    show(nominator, path)

for juror in Juror.objects.select_related("edition", "user"):
    client = client_for(juror.user)
    year = juror.edition.year
    pages = ["/jury/", f"/jury/{year}/conflicts/", f"/jury/{year}/scoring/"]
    if juror.is_chair:
        pages += [
            f"/jury/{year}/results/",
            f"/jury/{year}/results/export.csv",
            f"/jury/{year}/vote/",
        ]
    for path in pages:
        show(client, path)

secretariat = next(user for user in User.objects.filter(is_staff=True) if is_secretariat(user))
staff = client_for(secretariat)
for path in ("/start/", "/prize/overview/", "/screening/", "/admin/"):
    show(staff, path)

# Found and then made, in the statement form this database has.
known = organisation_for(name="Första", number="5560000001")
again = organisation_for(name="Andra", number="5560000001")
print("organisation", "same" if known.pk == again.pk else "twice", again.name)
