"""A complaint an app finds on its own, put on the front door's complaint register: a worker
telling payment verification that the money never arrived (crosscheck). The register
(intake) is a sibling of the app that finds it, so neither imports the other: intake
registers how it records one, from its AppConfig.ready(), and the finder calls `lodge`."""

_RECEIVERS: list = []


def register(receiver) -> None:
    """`receiver(actor=, household=, summary=, source=)` records the complaint and returns its
    number on the register; registering the same receiver twice keeps one."""
    if receiver not in _RECEIVERS:
        _RECEIVERS.append(receiver)


def lodge(*, actor, household, summary: str, source: str) -> str:
    """Record the complaint with every receiver (the register, when installed); the first
    register number, or "" when no register is installed."""
    numbers = [
        receiver(actor=actor, household=household, summary=summary, source=source)
        for receiver in _RECEIVERS
    ]
    return numbers[0] if numbers else ""
