"""Who saw a household's masked values: one reveal log row per "show" (and per opening of
the edit or review form, which shows every value in full). The auditors' page reads them."""

from households.models import RevealLog


def reveal_logged(*, user, household, field) -> None:
    RevealLog.objects.create(user=user, household=household, field=field)
