import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError
from django.test import RequestFactory, override_settings

from hardship.models import PolicyParameter
from hardship.security import client_ip


def request_from(remote, forwarded=None):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **meta)


@override_settings(TRUSTED_PROXY_COUNT=0)
def test_without_trusted_proxies_the_forwarded_header_is_ignored():
    assert client_ip(request_from("10.0.0.5", "1.2.3.4")) == "10.0.0.5"


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_behind_one_proxy_the_address_it_saw_counts_not_what_the_client_wrote():
    # The client forged "6.6.6.6"; nginx appended the address it really saw.
    assert client_ip(request_from("10.0.0.5", "6.6.6.6, 203.0.113.7")) == "203.0.113.7"


@override_settings(TRUSTED_PROXY_COUNT=2)
def test_behind_two_proxies_the_second_address_from_the_right_counts():
    assert client_ip(request_from("10.0.0.5", "6.6.6.6, 203.0.113.7, 10.0.0.9")) == "203.0.113.7"


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_a_missing_header_falls_back_to_the_peer_address():
    assert client_ip(request_from("10.0.0.5")) == "10.0.0.5"


@pytest.mark.django_db
def test_two_system_wide_rows_cannot_start_on_the_same_day():
    start = datetime.date(2030, 1, 1)
    PolicyParameter.objects.create(key="notice_days", value=Decimal("5"), valid_from=start)
    with pytest.raises(IntegrityError):
        PolicyParameter.objects.create(key="notice_days", value=Decimal("7"), valid_from=start)
