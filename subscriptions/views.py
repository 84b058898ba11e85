"""Subscribing needs no account; unsubscribing needs nothing but the link from a mail."""

from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from subscriptions import selectors, services, tokens
from subscriptions.forms import SubscribeForm
from subscriptions.selectors import Confirmation


@require_http_methods(["GET", "POST"])
def subscribe(request):
    form = SubscribeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.subscribe(
            email=form.cleaned_data["email"],
            language=get_language(),
            client_ip=request.META.get("REMOTE_ADDR", ""),
        )
        # The same answer for a new, a pending and a confirmed address: no enumeration.
        return redirect("subscriptions:sent")
    return render(request, "subscriptions/subscriber_form.html", {"form": form})


@require_GET
def subscribe_sent(request):
    return render(request, "subscriptions/subscriber_sent.html")


@never_cache
@require_http_methods(["GET", "POST"])
def confirm(request, token: str):
    # Opening the link only shows a button: mail scanners that fetch links must not opt
    # anyone in.
    if request.method == "GET":
        state = selectors.confirmation_state(token)
        status = 200
    else:
        state = services.confirm_subscription(token=token)
        status = 410 if state is Confirmation.INVALID else 200
    return render(
        request,
        "subscriptions/subscriber_confirm.html",
        {"state": state.value if state else "pending"},
        status=status,
    )


@csrf_exempt  # a mail client's one-click POST (RFC 8058) carries no CSRF token
@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token: str):
    subscriber_id = tokens.read_unsubscribe_token(token)
    if subscriber_id is None:
        return render(
            request, "subscriptions/subscriber_unsubscribe.html", {"state": "invalid"}, status=400
        )
    if request.method == "POST":
        services.unsubscribe(subscriber_id=subscriber_id)
        state = "done"
    else:
        # GET only asks: link checkers must not unsubscribe anyone.
        state = "pending" if selectors.is_subscribed(subscriber_id) else "done"
    return render(request, "subscriptions/subscriber_unsubscribe.html", {"state": state})
