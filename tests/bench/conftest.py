import pytest


@pytest.fixture(autouse=True)
def bench_installed(settings):
    """The `bench` app is installed only where benchmarks run (BENCH=1, hardship/settings.py):
    these tests install it for themselves, the rest of the suite runs without it."""
    settings.INSTALLED_APPS = [*settings.INSTALLED_APPS, "bench"]
