"""Being written: see jury/urls.py."""

from django.http import HttpResponse


def _not_yet(request, *args, **kwargs):
    return HttpResponse(status=501)


declare_conflicts = rulings = rule = _not_yet
