"""Being written: see jury/urls.py."""

from django.http import HttpResponse


def _not_yet(request, *args, **kwargs):
    return HttpResponse(status=501)


shortlist = ballot = vote_result = record_decision = _not_yet
