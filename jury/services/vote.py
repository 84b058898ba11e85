"""The final round's changes: the shortlist, the jurors' ballots and the jury's decision.

Keyword-only functions that own their transaction and lock the edition row first, so that a
shortlist, a ballot and the decision cannot cross each other. What the vote pages read (the
state of the round, the ballots, the count) is in `jury.selectors.vote`.

Conflicts of interest on the ballot: a juror with an effective conflict (declared and not
dismissed) on a shortlisted nominee may not rank it; the count makes a ballot abstain on it
even when the conflict was declared after the ballot was cast.
"""

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from audit.models import Action
from audit.services import record
from jury import emails, selectors, signals
from jury.models import Ballot, Decision, Juror, ShortlistEntry
from jury.rules import allowed, is_chair
from jury.selectors.vote import MIN_SHORTLIST, ballot_refusal, shortlist_refusal
from nominations.models import Edition, Nominee


class VoteNotAllowed(PermissionDenied):
    """The edition's state refuses the change: decided, or the ballots already cast."""


class DecisionAlreadyRecorded(VoteNotAllowed):
    """The edition has its decision: there is only one."""


def already_decided_message(edition: Edition) -> str:
    return _(
        "The decision of %(edition)s has already been recorded; it cannot be recorded again."
    ) % {"edition": edition}


def _lock(edition: Edition) -> Edition:
    return Edition.objects.select_for_update().get(pk=edition.pk)


def too_short_a_shortlist() -> ValidationError:
    """The error for a shortlist under MIN_SHORTLIST; the form shows it beside the field."""
    return ValidationError(
        ngettext(
            "Choose at least %(count)d nominee for the shortlist.",
            "Choose at least %(count)d nominees for the shortlist.",
            MIN_SHORTLIST,
        )
        % {"count": MIN_SHORTLIST},
        code="too_few",
    )


@transaction.atomic
def set_shortlist(*, edition: Edition, nominees: Iterable[Nominee], by) -> list[ShortlistEntry]:
    """Set the edition's shortlist (slutkandidater) to `nominees`, replacing the previous one.

    Side effects: deletes and creates ShortlistEntry rows; mails each juror that the ballot
    is open (once per shortlist). Refused (VoteNotAllowed) before
    screening is completed, once a ballot has been cast or once the jury has decided; a
    ValidationError when fewer than two nominees are given or one is not a candidate.
    PermissionDenied unless `by` leads the jury (the chair or the secretariat, by the jury's
    rules).

    A chair with an effective conflict of interest on a candidate neither adds it to nor
    takes it off the shortlist: their page does not show it, and whatever they send leaves
    its place as it is (a ValidationError if they name it); the secretariat decides on it.
    """
    if not allowed(by, "jury.lead", edition):
        raise PermissionDenied(_("Only the chair or the secretariat sets the shortlist."))
    edition = _lock(edition)
    if refusal := shortlist_refusal(edition):
        raise VoteNotAllowed(refusal)
    chosen = {nominee.pk for nominee in nominees}
    withheld = selectors.conflicted_nominee_ids_of(by, edition)
    if chosen & withheld:
        raise ValidationError(
            _("You have a conflict of interest on a nominee you chose."), code="conflicted"
        )
    present_before = set(
        ShortlistEntry.objects.filter(edition=edition).values_list("nominee_id", flat=True)
    )
    chosen |= present_before & withheld
    if len(chosen) < MIN_SHORTLIST:
        raise too_short_a_shortlist()
    candidate_ids = set(selectors.candidates(edition).values_list("pk", flat=True))
    if not chosen <= candidate_ids:
        raise ValidationError(
            _("Only the jury's candidates can be shortlisted."), code="not_a_candidate"
        )
    ShortlistEntry.objects.filter(edition=edition).exclude(nominee_id__in=chosen).delete()
    present = set(
        ShortlistEntry.objects.filter(edition=edition).values_list("nominee_id", flat=True)
    )
    ShortlistEntry.objects.bulk_create(
        ShortlistEntry(edition=edition, nominee_id=pk) for pk in sorted(chosen - present)
    )
    record(Action.SHORTLIST_SET, actor=by, target=edition, data={"count": len(chosen)})
    # A changed shortlist is a new ballot: each juror is told again, the same one only once.
    version = "-".join(str(pk) for pk in sorted(chosen))
    for juror in Juror.objects.filter(edition=edition).select_related("user", "edition"):
        emails.send_ballot_opened(juror, shortlist_version=version)
    return list(ShortlistEntry.objects.filter(edition=edition).select_related("nominee"))


@transaction.atomic
def cast_ballot(*, juror: Juror, ranking_groups: Iterable[Iterable[int]]) -> Ballot:
    """Store the juror's ranking of the shortlist: groups of nominee ids, best first.

    Nominees in one group are tied; shortlisted nominees left out rank below all those
    listed. Replaces the juror's earlier ballot, until the jury decides.

    Side effects: creates or updates the juror's Ballot, with `submitted_at` now; from then
    on the shortlist is locked. Refused (VoteNotAllowed) once the jury has decided or while
    the shortlist is not set; a ValidationError when an id is not shortlisted, appears
    twice, is a nominee the juror is conflicted on, or nothing is ranked.
    """
    edition = _lock(juror.edition)
    if refusal := ballot_refusal(edition):
        raise VoteNotAllowed(refusal)
    shortlist = set(
        ShortlistEntry.objects.filter(edition=edition).values_list("nominee_id", flat=True)
    )
    conflicted = selectors.conflicted_nominee_ids(juror)
    groups: list[list[int]] = []
    seen: set[int] = set()
    for group in ranking_groups:
        ids = sorted(int(pk) for pk in group)
        for pk in ids:
            if pk not in shortlist:
                raise ValidationError(
                    _("Only shortlisted nominees can be ranked."), code="not_shortlisted"
                )
            if pk in seen:
                raise ValidationError(_("A nominee is ranked twice."), code="twice")
            if pk in conflicted:
                raise ValidationError(
                    _("You may not rank a nominee you have a conflict of interest with."),
                    code="conflicted",
                )
            seen.add(pk)
        if ids:
            groups.append(ids)
    if not groups:
        raise ValidationError(_("Rank at least one nominee."), code="empty")
    ballot, _created = Ballot.objects.update_or_create(
        juror=juror, defaults={"ranking": groups, "submitted_at": timezone.now()}
    )
    record(Action.BALLOT_CAST, actor=juror.user, target=juror, edition=edition)
    return ballot


@transaction.atomic
def record_decision(
    *,
    edition: Edition,
    winner: Nominee,
    honourable_mentions: Iterable[Nominee],
    minutes: str,
    by,
) -> Decision:
    """Record the jury's decision: the winner, honourable mentions and the minutes.

    Side effects: creates the Decision and sets `edition.decided_at`, which closes the
    edition's scoring and ballots; sends `decision_recorded` in the same transaction (the
    publication app makes the announcement's draft from it); mails the decision, the winner
    named, to the jury and the secretariat only. Refused
    (DecisionAlreadyRecorded) when the edition has a decision; a ValidationError when the
    winner is not shortlisted, a mention is not a candidate or is the winner, or the
    minutes are empty.

    PermissionDenied unless `by` may decide by the jury's rules ("jury.decide"): the chair,
    or, when the chair has an effective conflict of interest on a shortlisted nominee, the
    secretariat instead (`Decision.recorded_as` says which). A Django superuser is neither
    unless the jury says so. A decider with a conflict of interest on a nominee cannot give
    it an honourable mention.
    """
    if by is None or not allowed(by, "jury.decide", edition):
        raise PermissionDenied(_("Only the chair records the jury's decision."))
    edition = _lock(edition)
    # Scores are saved under their juror's row lock: holding every juror's row, the decision
    # waits for a save in progress, and a save after it sees the edition decided.
    list(Juror.objects.select_for_update().filter(edition=edition).values_list("pk", flat=True))
    if edition.decided_at is not None or Decision.objects.filter(edition=edition).exists():
        raise DecisionAlreadyRecorded(already_decided_message(edition))
    if not ShortlistEntry.objects.filter(edition=edition, nominee=winner).exists():
        raise ValidationError(_("The winner must be shortlisted."), code="winner_not_shortlisted")
    mentions = {nominee.pk for nominee in honourable_mentions}
    if winner.pk in mentions:
        raise ValidationError(
            _("The winner cannot also get an honourable mention."), code="winner_mentioned"
        )
    if not mentions <= set(selectors.candidates(edition).values_list("pk", flat=True)):
        raise ValidationError(
            _("Only the jury's candidates can get an honourable mention."),
            code="mention_not_a_candidate",
        )
    if (mentions | {winner.pk}) & selectors.conflicted_nominee_ids_of(by, edition):
        raise ValidationError(
            _("You have a conflict of interest on a nominee you chose."), code="conflicted"
        )
    if not minutes.strip():
        raise ValidationError(_("Write the minutes of the decision."), code="no_minutes")
    now = timezone.now()
    decision = Decision.objects.create(
        edition=edition,
        winner=winner,
        minutes=minutes.strip(),
        decided_by=by,
        decided_at=now,
        recorded_as=Decision.RecordedAs.CHAIR
        if is_chair(by, edition)
        else Decision.RecordedAs.SECRETARIAT,
    )
    decision.honourable_mentions.set(sorted(mentions))
    edition.decided_at = now
    edition.save(update_fields=["decided_at"])
    signals.decision_recorded.send(sender=Decision, decision=decision)
    # The winner is named to the jury and the secretariat only: the embargo holds for the rest.
    recipients = {
        juror.user for juror in Juror.objects.filter(edition=edition).select_related("user")
    }
    recipients |= set(selectors.secretariat_users())
    for user in sorted(recipients, key=lambda user: user.pk):
        emails.send_decision_recorded(decision, to=user)
    record(Action.DECISION_RECORDED, actor=by, target=edition)  # not the decision: embargoed
    return decision
