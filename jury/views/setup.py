"""Being written: see jury/urls.py."""

from django.http import HttpResponse


def _not_yet(request, *args, **kwargs):
    return HttpResponse(status=501)


manage_jury = invite = resend_invitation = add_default_criteria = open_scoring = _not_yet
