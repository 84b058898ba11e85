"""Site-wide request guards: the size of a request's body."""

from django.conf import settings
from django.shortcuts import render


class RequestBodyLimitMiddleware:
    """Refuses a body larger than REQUEST_BODY_MAX_BYTES (by its Content-Length) with a 413,
    before anything reads it: the upload checks come too late for a 2 GB post."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.REQUEST_BODY_MAX_BYTES:
            return render(
                request,
                "request_too_large.html",
                {"max_megabytes": settings.REQUEST_BODY_MAX_BYTES // (1024 * 1024)},
                status=413,
            )
        return self.get_response(request)
