from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from publication.selectors import published_announcements


@require_GET
def announcement_list(request):
    return render(
        request,
        "publication/announcement_list.html",
        {"announcements": published_announcements()},
    )


@require_GET
def announcement_detail(request, year: int):
    # Until its publication time, a winner is nobody's business: 404, not a preview.
    announcement = get_object_or_404(published_announcements(), edition__year=year)
    return render(request, "publication/announcement_detail.html", {"announcement": announcement})
