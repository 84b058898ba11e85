"""The jury of an edition: inviting jurors, their joining, the default criteria, and
copying a jury and its criteria to the next edition.

An invitation is a one-time sign-in link (the same tokens as `accounts.signin`, issued by
`SignInToken.objects.issue`, with a longer life: people do not always read their e-mail within
half an hour) that lands on the jury's start page.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from accounts.models import SignInToken, User
from jury import emails
from jury.models import Assignment, Criterion, Juror, Partner
from jury.reports.caching import results_changed
from jury.rules import allowed
from jury.selectors import candidates
from nominations.models import Edition, Organisation
from nominations.services import copy_edition, organisation_for

# How long an invitation link works. Used once, it signs the juror in; afterwards they ask
# for an ordinary sign-in link with the same address.
INVITATION_LINK_MAX_AGE = timedelta(days=14)


SECOND_CHAIR = _lazy("The jury already has a chair. Invite this person as a member.")
ALREADY_JUROR = _lazy("This person is already on this jury.")


class CriteriaLocked(PermissionDenied):
    """Scoring has opened: the criteria are what the jurors score and no longer change."""


# --- Invitations ------------------------------------------------------------------------------


def _send_invitation(juror: Juror) -> None:
    """A new token and a new e-mail, in the juror's language; invited_at is now.

    Runs inside the caller's transaction: the e-mail task is queued after commit.
    """
    language = juror.user.language
    with translation.override(language):
        next_path = reverse("jury:home")
        token, raw_token = SignInToken.objects.issue(
            email=juror.user.email, next_path=next_path, max_age=INVITATION_LINK_MAX_AGE
        )
        url = settings.SITE_URL + reverse("accounts:sign_in_confirm", args=[raw_token])
    emails.send_invitation(juror, sign_in_url=url, key=f"jury-invitation:{juror.pk}:{token.pk}")
    juror.invited_at = timezone.now()
    juror.save(update_fields=["invited_at"])


def _user_for(*, email: str, first_name: str, last_name: str, language: str) -> User:
    """The user with this address, or a new one without a password (they sign in by link).

    An existing user keeps their own language; names are filled in only where blank.
    """
    users = get_user_model().objects
    email = email.strip().lower()
    user = users.filter(email=email).first()
    if user is None:
        return users.create_user(
            email, first_name=first_name, last_name=last_name, language=language
        )
    changed = []
    if not user.first_name and first_name:
        user.first_name = first_name
        changed.append("first_name")
    if not user.last_name and last_name:
        user.last_name = last_name
        changed.append("last_name")
    if changed:
        user.save(update_fields=changed)
    return user


def invite_juror(
    *,
    edition: Edition,
    email: str,
    first_name: str,
    last_name: str,
    language: str,
    role: str,
    partner: Partner | None,
    organisation: Organisation | None,
    by,
    new_organisation: tuple[str, str] | None = None,
) -> Juror:
    """Put someone on the edition's jury and send them an invitation.

    `new_organisation`, a (number, name) the platform does not know yet, is recorded in the
    same transaction, so that a refused invitation leaves no organisation behind.

    Side effects: the User if the address is new (no password), one Juror row, one
    SignInToken, one outbox e-mail (sent after commit), the juror's invited_at; once scoring
    is open, an assignment to every candidate.
    Raises ValidationError (on "role" or "email") for a second chair or someone already on
    this jury; the edition row is locked so that two invitations cannot both make a chair.
    PermissionDenied unless `by` is the secretariat (`jury.manage_jury`).
    """
    if not allowed(by, "jury.manage", edition):
        raise PermissionDenied(_("Only the secretariat sets up the jury."))
    with transaction.atomic():
        locked = Edition.objects.select_for_update().get(pk=edition.pk)
        if role == Juror.Role.CHAIR and edition.jurors.filter(role=Juror.Role.CHAIR).exists():
            raise ValidationError({"role": ValidationError(SECOND_CHAIR, code="second_chair")})
        if edition.jurors.filter(user__email=email.strip().lower()).exists():
            raise ValidationError({"email": ValidationError(ALREADY_JUROR, code="already_juror")})
        if new_organisation is not None:
            number, name = new_organisation
            organisation = organisation_for(number=number, name=name)
        user = _user_for(email=email, first_name=first_name, last_name=last_name, language=language)
        juror = Juror.objects.create(
            edition=edition, user=user, role=role, partner=partner, organisation=organisation
        )
        if locked.scoring_opened_at is not None:
            # A juror who joins once scoring is open scores every candidate (conflicts, once
            # declared, still keep them away), rather than nothing at all.
            Assignment.objects.bulk_create(
                Assignment(juror=juror, nominee=nominee) for nominee in candidates(edition)
            )
        _send_invitation(juror)
    return juror


def resend_invitation(*, juror: Juror, by) -> Juror:
    """Send the juror a new invitation with a new link; earlier links still work until they
    expire or are used.

    Side effects: one SignInToken, one outbox e-mail (sent after commit), invited_at.
    PermissionDenied unless `by` is the secretariat.
    """
    if not allowed(by, "jury.manage", juror.edition):
        raise PermissionDenied(_("Only the secretariat sets up the jury."))
    with transaction.atomic():
        locked = Juror.objects.locked("user", "edition").get(pk=juror.pk)
        _send_invitation(locked)
    juror.invited_at = locked.invited_at
    return juror


def mark_joined(*, user, now: datetime | None = None) -> int:
    """The user has signed in: each invitation of theirs to a jury not taken up yet is taken
    up now (`jury.receivers` calls this on every sign-in). Returns how many juror rows
    joined.

    Side effects: `joined_at` on those Juror rows, once each (a conditional update: safe
    from two sign-ins at once, and a later sign-in changes nothing).
    """
    if not user.is_authenticated:
        return 0
    waiting = Juror.objects.filter(user=user, invited_at__isnull=False, joined_at__isnull=True)
    return waiting.update(joined_at=now or timezone.now())


# --- Criteria ---------------------------------------------------------------------------------

SCALE_LABELS = ["Svagt", "Godtagbart", "Bra", "Mycket bra", "Utmärkt"]
SCALE_LABELS_EN = ["Weak", "Fair", "Good", "Very good", "Excellent"]

# Drawn from what the 2023 jury praised in its citation of the BIN section in Stockholm syd:
# long-term work, collaboration inside the police and with outside actors, the victim in
# focus, acting early and preventing crime, and making a difference for real. Every weight is
# 1: one year's citation is no reason to rank them, and the secretariat can change the
# weights in the administration until scoring opens.
DEFAULT_CRITERIA = [
    {
        "name": "Långsiktigt arbete",
        "name_en": "Long-term work",
        "description": (
            "Arbetet har bedrivits och utvecklats under lång tid och är byggt för att bestå, "
            "inte beroende av enstaka personer eller projektpengar."
        ),
        "description_en": (
            "The work has been carried on and developed over a long time and is built to "
            "last, not hanging on a few people or project money."
        ),
    },
    {
        "name": "Samverkan internt och externt",
        "name_en": "Collaboration inside and outside the organisation",
        "description": (
            "Verksamheten samverkar inom den egna organisationen och med externa aktörer, "
            "till exempel socialtjänst, polis, hälso- och sjukvård och ideella organisationer."
        ),
        "description_en": (
            "The operation works together within its own organisation and with outside "
            "actors, such as social services, the police, health care and non-profit "
            "organisations."
        ),
    },
    {
        "name": "Den utsatta i fokus",
        "name_en": "The victim in focus",
        "description": (
            "Arbetet utgår från den utsattas behov, säkerhet och rätt till samhällets snabba "
            "stöd och skydd – för vuxna och för barn."
        ),
        "description_en": (
            "The work starts from the victim's needs, safety and right to society's swift "
            "support and protection – for adults and for children."
        ),
    },
    {
        "name": "Tidiga insatser och brottsförebyggande arbete",
        "name_en": "Acting early and preventing crime",
        "description": (
            "Verksamheten upptäcker våld tidigt, agerar snabbt och förebygger att brott begås "
            "eller upprepas."
        ),
        "description_en": (
            "The operation detects violence early, acts quickly and prevents crimes from "
            "being committed or repeated."
        ),
    },
    {
        "name": "Resultat",
        "name_en": "Results",
        "description": (
            "Arbetet gör skillnad på riktigt, och det går att visa: uppföljning, siffror "
            "eller erfarenheter från de utsatta och från samverkansparterna."
        ),
        "description_en": (
            "The work makes a real difference, and it shows: follow-up, figures, or what "
            "victims and partners in the work have experienced."
        ),
    },
]


def add_default_criteria(*, edition: Edition, by) -> list[Criterion]:
    """Give an edition without criteria the default ones (see DEFAULT_CRITERIA).

    Side effects: five Criterion rows; none if the edition has criteria already (returns
    an empty list then). Refused (CriteriaLocked) once scoring has opened; PermissionDenied
    unless `by` is the secretariat.
    """
    if not allowed(by, "jury.manage", edition):
        raise PermissionDenied(_("Only the secretariat sets up the jury."))
    with transaction.atomic():
        locked = Edition.objects.select_for_update().get(pk=edition.pk)
        if locked.scoring_opened_at is not None:
            raise CriteriaLocked(_("Scoring has opened: the criteria can no longer change."))
        if locked.criteria.exists():
            return []
        # bulk_create sends no post_save: the kept results are replaced here.
        results_changed(locked.pk)
        return Criterion.objects.bulk_create(
            Criterion(
                edition=locked,
                weight=1,
                scale_min=1,
                scale_max=5,
                scale_labels=SCALE_LABELS,
                scale_labels_en=SCALE_LABELS_EN,
                position=position,
                **criterion,
            )
            for position, criterion in enumerate(DEFAULT_CRITERIA, start=1)
        )


# --- Next year --------------------------------------------------------------------------------


def copy_edition_with_jury(edition: Edition, *, year: int) -> Edition:
    """`year`'s edition made from `edition` (nominations' `copy_edition`), with its criteria
    and jury copied too, all or nothing.

    Raises ValueError, as `copy_edition` does, when that year or ordinal is taken; then
    nothing is copied, not even the jury.
    """
    with transaction.atomic():
        new_edition = copy_edition(edition, year=year)
        copy_jury_and_criteria(source=edition, target=new_edition)
    return new_edition


def copy_jury_and_criteria(*, source: Edition, target: Edition) -> tuple[int, int]:
    """Copy `source`'s criteria and jurors to `target`; returns (criteria, jurors) copied.

    Jurors keep their role, partner and organisation; they are not invited, have not joined
    and have submitted nothing. What `target` has already is left alone: a criterion of the
    same name, a juror who is on its jury, a chair if it has one (then the copied chair
    becomes a member). Criteria are not copied once `target`'s scoring has opened.

    Side effects: Criterion and Juror rows in `target`. No e-mail: the secretariat invites
    the new jury when it is time.
    """
    with transaction.atomic():
        target = Edition.objects.select_for_update().get(pk=target.pk)
        criteria = []
        if target.scoring_opened_at is None:
            taken = set(target.criteria.values_list("name", flat=True))
            criteria = [
                Criterion(
                    edition=target,
                    name=criterion.name,
                    name_en=criterion.name_en,
                    description=criterion.description,
                    description_en=criterion.description_en,
                    weight=criterion.weight,
                    scale_min=criterion.scale_min,
                    scale_max=criterion.scale_max,
                    scale_labels=criterion.scale_labels,
                    scale_labels_en=criterion.scale_labels_en,
                    position=criterion.position,
                )
                for criterion in Criterion.objects.filter(edition=source)
                if criterion.name not in taken
            ]
            Criterion.objects.bulk_create(criteria)
        on_the_jury = set(target.jurors.values_list("user_id", flat=True))
        has_chair = target.jurors.filter(role=Juror.Role.CHAIR).exists()
        jurors = []
        # "chair" sorts before "member": the source's chair comes first.
        for juror in Juror.objects.filter(edition=source).order_by("role", "pk"):
            if juror.user_id in on_the_jury:
                continue
            role = juror.role
            if role == Juror.Role.CHAIR:
                role = Juror.Role.MEMBER if has_chair else role
                has_chair = True
            jurors.append(
                Juror(
                    edition=target,
                    user_id=juror.user_id,
                    role=role,
                    partner_id=juror.partner_id,
                    organisation_id=juror.organisation_id,
                )
            )
        Juror.objects.bulk_create(jurors)
        results_changed(target.pk)
    return len(criteria), len(jurors)
