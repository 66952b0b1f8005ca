"""An audit trail of sign-ins, failed sign-ins, sign-outs, lifted lockouts and refused requests
(who, from where, when), written to the `gwangyang_plan.audit` logger."""

import ipaddress
import logging

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.utils import timezone

log = logging.getLogger("gwangyang_plan.audit")


def forwarded_client_ip(request) -> str | None:
    """REMOTE_ADDR or, behind N = TRUSTED_PROXY_COUNT proxies, the N-th address from the right
    of X-Forwarded-For: the one our outermost proxy appended. Addresses further left are
    whatever the client sent, so they never count. django-axes calls this (settings.py)."""
    count = settings.TRUSTED_PROXY_COUNT
    if count:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if len(forwarded) >= count:
            candidate = forwarded[-count].strip()
            try:
                return str(ipaddress.ip_address(candidate))
            except ValueError:
                pass  # not set by our proxies (a request that bypassed them): use the peer
    return request.META.get("REMOTE_ADDR")


def client_ip(request) -> str:
    """The address django-axes counts sign-in failures against, so the log and the lockout agree."""
    return (get_client_ip_address(request) or "-") if request is not None else "-"


def _now() -> str:
    return timezone.localtime().isoformat(timespec="seconds")


@receiver(user_logged_in)
def signed_in(sender, request, user, **kwargs):
    log.info("sign-in user=%s ip=%s at=%s", user.get_username(), client_ip(request), _now())


@receiver(user_logged_out)
def signed_out(sender, request, user, **kwargs):
    name = user.get_username() if user else "-"
    log.info("sign-out user=%s ip=%s at=%s", name, client_ip(request), _now())


@receiver(user_login_failed)
def sign_in_failed(sender, credentials, request=None, **kwargs):
    name = credentials.get("username", "-")
    log.warning("sign-in failed user=%s ip=%s at=%s", name, client_ip(request), _now())


def sign_in_unlocked(request, username: str) -> None:
    """A coordinator or administrator lifted `username`'s sign-in lockout."""
    log.warning(
        "sign-in unlocked user=%s by=%s ip=%s at=%s",
        username, request.user.get_username(), client_ip(request), _now(),
    )  # fmt: skip


class RefusedAccessLogMiddleware:
    """Logs every 403 (permission refused) and 429 (locked out) with the user and address."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code in (403, 429):
            user = getattr(request, "user", None)
            name = user.get_username() if user is not None and user.is_authenticated else "-"
            log.warning(
                "refused status=%s user=%s ip=%s path=%s at=%s",
                response.status_code, name, client_ip(request), request.path, _now(),
            )  # fmt: skip
        return response
