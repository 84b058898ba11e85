"""Computed results are replaced when what they rest on changes (jury/reports/caching.py);
an invited juror joins when they sign in."""

from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from jury.models import ConflictDeclaration, Criterion, Juror, Score
from jury.reports.caching import results_changed
from jury.services.jurors import mark_joined
from nominations.models import Nomination, Nominee


@receiver(user_logged_in)
def _juror_signed_in(sender, request, user, **kwargs):
    # Signing in (by the invitation's link, or any other way) takes up the invitation; the
    # jury's pages are read-only on GET and record nothing.
    mark_joined(user=user)


@receiver([post_save, post_delete], sender=Score)
@receiver([post_save, post_delete], sender=ConflictDeclaration)
def _juror_row_changed(sender, instance, **kwargs):
    # The juror's edition is the score's: one small read, only when something was written.
    edition_id = Juror.objects.filter(pk=instance.juror_id).values_list("edition_id", flat=True)
    for pk in edition_id:
        results_changed(pk)


@receiver([post_save, post_delete], sender=Criterion)
@receiver([post_save, post_delete], sender=Juror)
def _edition_row_changed(sender, instance, **kwargs):
    results_changed(instance.edition_id)


@receiver([post_save, post_delete], sender=Nominee)
@receiver([post_save, post_delete], sender=Nomination)
def _candidacy_changed(sender, instance, **kwargs):
    # Saved often (every autosave of a draft): no on-commit callback for each.
    results_changed(instance.edition_id, after_commit=False)
