"""Notes an app of a higher layer puts on a page of a lower one, without the lower app
importing it: the higher app registers a provider for a page (from its AppConfig.ready())
and the page's template asks for the notes with `{% page_notes "household" household %}`.

Used by crosscheck: the watch list (a worker or member of a file cancelled for fraud) and
suspected duplicates on the household page, the watch list on the application page."""

from collections import defaultdict
from dataclasses import dataclass

PAGES = ("household", "application")
_PROVIDERS: dict[str, list] = defaultdict(list)


@dataclass(frozen=True)
class Note:
    message: str
    severity: str = "warning"  # a Bootstrap alert colour: warning, danger, info
    url: str = ""
    link_text: str = ""


def register(page: str, provider) -> None:
    """`provider(user, obj)` returns the notes (a list of Note) for `obj` as `user` sees it;
    registering the same provider twice keeps one."""
    if page not in PAGES:
        raise ValueError(f"unknown page {page!r}")
    if provider not in _PROVIDERS[page]:
        _PROVIDERS[page].append(provider)


def notes_for(page: str, user, obj) -> list[Note]:
    notes = []
    for provider in _PROVIDERS[page]:
        notes.extend(provider(user, obj))
    return notes
