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
# Who sees it, where several categories say the same.
SECRETARIAT = _("The secretariat.")
CHECKED_BY_PLATFORM = _("Nobody; the platform checks it.")


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


# One per category, its values in the order of `Category`'s fields (key, setting, name, what,
# counted_from, purpose, legal_basis, who_sees): the field names are said once, in the class.
CATEGORIES = (
    Category(
        "drafts",
        "RETENTION_DRAFT_DAYS",
        _("Drafts never sent"),
        _("The whole draft, with its attachments."),
        _("after the call for nominations closes"),
        _("To let you finish a nomination you started."),
        PUBLIC_INTEREST,
        _("Only you."),
    ),
    Category(
        "nominations",
        "RETENTION_NOMINATION_DAYS",
        _("Nominations that did not win"),
        _(
            "The contact person's name, e-mail address and phone number, the nomination's "
            "texts and its attachments. The reference number, the nominee's name and "
            "organisation, and the screening and jury decisions are kept in the archive."
        ),
        _("after the winner of the year is announced"),
        _("To screen and assess the nomination and to contact the nominator."),
        PUBLIC_INTEREST,
        _("The secretariat; the jury sees the nomination without the contact details."),
    ),
    Category(
        "withdrawn",
        "RETENTION_WITHDRAWN_DAYS",
        _("Withdrawn nominations"),
        _("The same personal data as for a nomination that did not win."),
        _("after the nomination is withdrawn"),
        _("To answer questions about a nomination you withdrew."),
        PUBLIC_INTEREST,
        _("You and the secretariat."),
    ),
    Category(
        "outbox",
        "RETENTION_OUTBOX_DAYS",
        _("E-mails the platform sent"),
        _("The recipient's address, the subject and what the message said."),
        _("after the e-mail was written"),
        _("To deliver the e-mail, retry it, and answer whether it was sent."),
        PUBLIC_INTEREST,
        SECRETARIAT,
    ),
    Category(
        "sign_in_links",
        "RETENTION_SIGN_IN_LINK_DAYS",
        _("Sign-in links"),
        _("The e-mail address a link was sent to (the link itself is never stored)."),
        _("after the link expires"),
        _("To let you sign in without a password."),
        LEGITIMATE_SECURITY,
        CHECKED_BY_PLATFORM,
    ),
    Category(
        "sessions",
        "RETENTION_SESSION_DAYS",
        _("Sessions"),
        _("That you are signed in, kept in a cookie and on the server."),
        _("after the session expires"),
        _("To keep you signed in."),
        LEGITIMATE_SECURITY,
        CHECKED_BY_PLATFORM,
    ),
    Category(
        "access_log",
        "RETENTION_ACCESS_LOG_DAYS",
        _("Password sign-ins"),
        _("The account, network address and browser of each password sign-in."),
        _("after the sign-in"),
        _("To stop password guessing."),
        LEGITIMATE_SECURITY,
        _("The platform's administrators."),
    ),
    Category(
        "juror_notes",
        "RETENTION_JUROR_NOTES_DAYS",
        _("Jurors' private notes"),
        _("The notes a juror keeps for themselves while scoring."),
        _("after the jury's decision"),
        _("To help the juror score."),
        PUBLIC_INTEREST,
        _("Only the juror."),
    ),
    Category(
        "results_exports",
        "RETENTION_RESULTS_EXPORT_DAYS",
        _("Excel files of the jury's results"),
        _(
            "A file with the jury's scores and comments, and who asked for it; the scores "
            "themselves stay in the archive."
        ),
        _("after the file was asked for"),
        _("To let the chair and the secretariat download the results."),
        PUBLIC_INTEREST,
        _("Only the person who asked for it."),
    ),
    Category(
        "unconfirmed_subscribers",
        "SUBSCRIPTIONS_CONFIRM_MAX_AGE_DAYS",
        _("Subscriptions never confirmed"),
        _("The e-mail address and its language."),
        _("after subscribing"),
        _("To send you news about the prize once you confirm."),
        CONSENT,
        SECRETARIAT,
    ),
)

BY_KEY = {category.key: category for category in CATEGORIES}
