from django.shortcuts import render
from django.views.decorators.http import require_GET

from nominations.models import Area, Edition
from nominations.page_cache import public_page


@public_page
@require_GET
def call_for_nominations(request):
    edition = Edition.objects.for_the_call()
    return render(
        request,
        "nominations/call.html",
        {"edition": edition, "areas": Area.objects.all()},
    )
