"""Running the project in a separate process against another database."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
COPY = "hw"  # the copy of the test database on the private cluster


def project_env(tmp_path, **overrides) -> dict:
    """The environment of a separate process running the project (development settings,
    files under tmp_path)."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "hardship.settings",
        "DEBUG": "1",
        "SECRET_KEY": "test-only " * 6,
        "VAR_DIR": str(tmp_path),
        "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "tests"), str(Path(__file__).parent)]),
    }
    env.pop("DATABASE_REPLICA_URL", None)
    env.update({key: str(value) for key, value in overrides.items()})
    return env


def run_python(script: str, env: dict, timeout: int = 120) -> str:
    """Run a script of this folder in a new interpreter from the project root; its output."""
    result = subprocess.run(
        [sys.executable, str(Path(__file__).parent / script)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert result.returncode == 0, f"{script} failed:\n{result.stdout}\n{result.stderr[-6000:]}"
    return result.stdout
