"""Sharing fixtures between test folders.

A folder's conftest.py is loaded by pytest only when that folder is collected, and its
helper modules (casekit.py, fundkit.py) are importable only then. `borrow()` puts the named
folders on sys.path and returns the first folder's conftest loaded under a private name, so
`pytest tests/funds` can reuse the approval-chain fixtures of tests/cases.
"""

import importlib.util
import sys
from pathlib import Path

TESTS = Path(__file__).resolve().parent


def borrow(folder: str, *also: str, name: str):
    for each in (folder, *also):
        if str(TESTS / each) not in sys.path:
            sys.path.insert(0, str(TESTS / each))
    spec = importlib.util.spec_from_file_location(name, TESTS / folder / "conftest.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
