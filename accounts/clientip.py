"""The client's address, the one way every rate limit and lockout asks for it.

Behind a reverse proxy REMOTE_ADDR is the proxy's, so everyone would share one limit; but a
header like X-Forwarded-For is whatever the client wrote, unless a proxy we trust set it.
So the header is read only when configured (TRUSTED_PROXY_HEADER), and only the entry that
our own proxies added: the NUM_PROXIES-th from the right.
"""

from django.conf import settings


def client_ip(request) -> str:
    remote_addr = request.META.get("REMOTE_ADDR", "")
    header = settings.TRUSTED_PROXY_HEADER
    if not header:
        return remote_addr
    entries = [entry.strip() for entry in request.META.get(header, "").split(",") if entry.strip()]
    if not entries:
        return remote_addr
    # Fewer entries than proxies: the request came past one of them; the first is the best.
    return entries[-settings.NUM_PROXIES] if len(entries) >= settings.NUM_PROXIES else entries[0]
