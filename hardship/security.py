"""Login lock-out: the client address (honest behind trusted reverse proxies) and the two
limits django-axes enforces with it."""

from axes.handlers.database import AxesDatabaseHandler
from django.conf import settings
from django.db.models import Sum


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


class LockoutHandler(AxesDatabaseHandler):
    """Two limits within the cool-off: AXES_FAILURE_LIMIT failures for one user name at one
    address, and the much higher AXES_ADDRESS_FAILURE_LIMIT failures from one address over
    all user names. The first stops guessing one password; the second slows down trying
    many accounts from one address, while an office behind one NAT address can make many
    typos before all of it waits for the cool-off.

    Axes counts failures for each entry of AXES_LOCKOUT_PARAMETERS (here: user name with
    address, then address alone) and compares the largest with one limit. So the count for
    the address is scaled to that limit: it reaches AXES_FAILURE_LIMIT exactly when the
    address has reached its own limit.
    """

    def get_failures(self, request, credentials=None) -> int:
        per_user, per_address = (
            attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        )
        user_limit = settings.AXES_FAILURE_LIMIT
        return max(per_user, per_address * user_limit // settings.AXES_ADDRESS_FAILURE_LIMIT)

    def reset_user_attempts(self, request, credentials=None) -> int:
        """A successful sign-in clears that user's failures at that address only: one good
        password must not wipe out the failures others made from the same address."""
        per_user = self.filter_user_attempts(request, credentials)[0]
        count, _ = per_user.delete()
        return count
