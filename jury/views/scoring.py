"""Being written: see jury/urls.py."""

from django.http import HttpResponse


def _not_yet(request, *args, **kwargs):
    return HttpResponse(status=501)


jury_home = scoring_overview = score_nominee = autosave_scores = submit_scores = reopen_scores = (
    _not_yet
)
