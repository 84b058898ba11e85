"""Being written: see jury/urls.py."""

from django.http import HttpResponse


def _not_yet(request, *args, **kwargs):
    return HttpResponse(status=501)


results = export_results = protocol_pdf = _not_yet
