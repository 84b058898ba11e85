"""The secretariat's screening pages (being written)."""

from django.http import HttpResponse


def screening_list(request):
    return HttpResponse(status=501)


screening_export = complete_screening = screening_detail = nomination_pdf = screening_list
