"""The client address for login lock-out, honest behind trusted reverse proxies."""

from django.conf import settings


def client_ip(request) -> str:
    """REMOTE_ADDR, or with TRUSTED_PROXY_COUNT = N trusted proxies in front (each appending
    the address it saw to X-Forwarded-For), the N-th address from the right. Addresses
    further left were written by the client and cannot be trusted."""
    remote = request.META.get("REMOTE_ADDR", "")
    count = settings.TRUSTED_PROXY_COUNT
    if count <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    return forwarded[-count] if len(forwarded) >= count else remote
