"""Helpers of the intake tests: a contact recorded through the service with sensible
defaults."""

from django.utils import timezone

from intake import services


def record(actor, **fields):
    data = {
        "channel": "hotline",
        "received_at": timezone.now(),
        "topic": "help",
        "summary": "来电询问医疗救助政策。",
        "caller_name": "马桂兰",
        "phone": "13904510021",
    }
    data.update(fields)
    return services.contact_record(actor=actor, **data)
