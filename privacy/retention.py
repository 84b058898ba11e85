"""The retention rules: one per category of personal data, each a number of days in settings.

Gallring (`privacy.services.run_gallring`) and the privacy notice (`templates/privacy.html`)
both read `CATEGORIES`, so the notice can never say another period than the code applies.
Pure: reads settings, touches nothing.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

PUBLIC_INTEREST = _(
    "A task in the public interest and the exercise of official authority (GDPR art. 6.1 e)"
)
CONSENT = _("Your consent (GDPR art. 6.1 a), which you withdraw by unsubscribing")
LEGITIMATE_SECURITY = _(
    "A task in the public interest (GDPR art. 6.1 e): keeping the platform secure"
)


@dataclass(frozen=True)
class Category:
    key: str
    setting: str
    name: Promise
    what: Promise
    counted_from: Promise
    purpose: Promise
    legal_basis: Promise
    who_sees: Promise

    @property
    def days(self) -> int:
        return getattr(settings, self.setting)

    @property
    def period(self) -> str:
        """How long, in words, in the active language: what the privacy notice says."""
        days = self.days
        if days == 0:
            return gettext("Immediately %(moment)s") % {"moment": self.counted_from}
        return ngettext("%(days)d day %(moment)s", "%(days)d days %(moment)s", days) % {
            "days": days,
            "moment": self.counted_from,
        }

    def cutoff(self, now: datetime) -> datetime:
        """Data whose moment (`counted_from`) came before this is due for erasure."""
        return now - timedelta(days=self.days)


CATEGORIES = (
    Category(
        key="drafts",
        setting="RETENTION_DRAFT_DAYS",
        name=_("Drafts never sent"),
        what=_("The whole draft, with its attachments."),
        counted_from=_("after the call for nominations closes"),
        purpose=_("To let you finish a nomination you started."),
        legal_basis=PUBLIC_INTEREST,
        who_sees=_("Only you."),
    ),
    Category(
        key="nominations",
        setting="RETENTION_NOMINATION_DAYS",
        name=_("Nominations that did not win"),
        what=_(
            "The contact person's name, e-mail address and phone number, the nomination's "
            "texts and its attachments. The reference number, the nominee's name and "
            "organisation, and the screening and jury decisions are kept in the archive."
        ),
        counted_from=_("after the winner of the year is announced"),
        purpose=_("To screen and assess the nomination and to contact the nominator."),
        legal_basis=PUBLIC_INTEREST,
        who_sees=_("The secretariat; the jury sees the nomination without the contact details."),
    ),
    Category(
        key="withdrawn",
        setting="RETENTION_WITHDRAWN_DAYS",
        name=_("Withdrawn nominations"),
        what=_("The same personal data as for a nomination that did not win."),
        counted_from=_("after the nomination is withdrawn"),
        purpose=_("To answer questions about a nomination you withdrew."),
        legal_basis=PUBLIC_INTEREST,
        who_sees=_("You and the secretariat."),
    ),
    Category(
        key="outbox",
        setting="RETENTION_OUTBOX_DAYS",
        name=_("E-mails the platform sent"),
        what=_("The recipient's address, the subject and what the message said."),
        counted_from=_("after the e-mail was written"),
        purpose=_("To deliver the e-mail, retry it, and answer whether it was sent."),
        legal_basis=PUBLIC_INTEREST,
        who_sees=_("The secretariat."),
    ),
    Category(
        key="sign_in_links",
        setting="RETENTION_SIGN_IN_LINK_DAYS",
        name=_("Sign-in links"),
        what=_("The e-mail address a link was sent to (the link itself is never stored)."),
        counted_from=_("after the link expires"),
        purpose=_("To let you sign in without a password."),
        legal_basis=LEGITIMATE_SECURITY,
        who_sees=_("Nobody; the platform checks it."),
    ),
    Category(
        key="sessions",
        setting="RETENTION_SESSION_DAYS",
        name=_("Sessions"),
        what=_("That you are signed in, kept in a cookie and on the server."),
        counted_from=_("after the session expires"),
        purpose=_("To keep you signed in."),
        legal_basis=LEGITIMATE_SECURITY,
        who_sees=_("Nobody; the platform checks it."),
    ),
    Category(
        key="access_log",
        setting="RETENTION_ACCESS_LOG_DAYS",
        name=_("Password sign-ins"),
        what=_("The account, network address and browser of each password sign-in."),
        counted_from=_("after the sign-in"),
        purpose=_("To stop password guessing."),
        legal_basis=LEGITIMATE_SECURITY,
        who_sees=_("The platform's administrators."),
    ),
    Category(
        key="juror_notes",
        setting="RETENTION_JUROR_NOTES_DAYS",
        name=_("Jurors' private notes"),
        what=_("The notes a juror keeps for themselves while scoring."),
        counted_from=_("after the jury's decision"),
        purpose=_("To help the juror score."),
        legal_basis=PUBLIC_INTEREST,
        who_sees=_("Only the juror."),
    ),
    Category(
        key="results_exports",
        setting="RETENTION_RESULTS_EXPORT_DAYS",
        name=_("Excel files of the jury's results"),
        what=_(
            "A file with the jury's scores and comments, and who asked for it; the scores "
            "themselves stay in the archive."
        ),
        counted_from=_("after the file was asked for"),
        purpose=_("To let the chair and the secretariat download the results."),
        legal_basis=PUBLIC_INTEREST,
        who_sees=_("Only the person who asked for it."),
    ),
    Category(
        key="unconfirmed_subscribers",
        setting="SUBSCRIPTIONS_CONFIRM_MAX_AGE_DAYS",
        name=_("Subscriptions never confirmed"),
        what=_("The e-mail address and its language."),
        counted_from=_("after subscribing"),
        purpose=_("To send you news about the prize once you confirm."),
        legal_basis=CONSENT,
        who_sees=_("The secretariat."),
    ),
)

BY_KEY = {category.key: category for category in CATEGORIES}
