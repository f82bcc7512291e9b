from collections.abc import Callable

from django.db import IntegrityError, transaction

from hardship.models import Counter


def next_value(name: str, *, count: int = 1, taken: Callable[[], int] | None = None) -> int:
    """The next value of a named counter, reserving `count` consecutive values (the first is
    returned). Call it inside the transaction that uses the values: the counter row stays
    locked until that transaction ends, so two requests never get the same number and a
    rolled-back transaction leaves no gap.

    `taken` says where a counter that does not exist yet starts: the last value already in
    use (numbers written before the counter existed, or by seed data). It runs only when the
    counter is created; a concurrent creator waits on the row and then counts on."""
    try:
        with transaction.atomic():
            Counter.objects.get_or_create(
                name=name, defaults={"value": taken if taken is not None else 0}
            )
    except IntegrityError:  # created by a concurrent request a moment ago
        pass
    counter = Counter.objects.select_for_update().get(name=name)
    first = counter.value + 1
    counter.value += count
    counter.save(update_fields=["value"])
    return first
