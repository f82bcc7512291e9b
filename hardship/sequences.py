from django.db import IntegrityError, transaction

from hardship.models import Counter


def next_value(name: str) -> int:
    """The next value of a named counter; call inside the transaction that uses it."""
    try:
        with transaction.atomic():
            Counter.objects.get_or_create(name=name)
    except IntegrityError:  # created by a concurrent request a moment ago
        pass
    counter = Counter.objects.select_for_update().get(name=name)
    counter.value += 1
    counter.save(update_fields=["value"])
    return counter.value
