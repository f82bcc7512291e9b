"""Requests per second through gunicorn, measured with wrk on the same machine
(run_bench's throughput section)."""

import json
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from django.conf import settings
from django.core.management.base import CommandError
from django.test import Client


def throughput(user, sets: dict[str, list[str]], seconds: int = 10) -> dict:
    """Requests per second through gunicorn with one worker per core, wrk on the same
    machine (2 threads, 8 connections) signed in as `user`; each set of paths is
    requested in turn. Skipped where wrk is not installed (`apt-get install wrk`)."""
    if not shutil.which("wrk"):
        return {"note": "wrk not installed"}
    client = Client()
    client.force_login(user)
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    port = 8799
    env = {**os.environ, "ALLOWED_HOSTS": "127.0.0.1,localhost"}
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "hardship.wsgi", "-w", str(os.cpu_count() or 2)]
        + ["-b", f"127.0.0.1:{port}", "--log-level", "warning"],
        cwd=settings.BASE_DIR,
        env=env,
    )
    figures = {}
    try:
        _wait_for(f"http://127.0.0.1:{port}/healthz")
        for label, paths in sets.items():
            script = Path(settings.VAR_DIR) / "bench" / "paths.lua"
            script.write_text(
                "paths = {" + ", ".join(json.dumps(p) for p in paths) + "}\n"
                "i = 0\n"
                "request = function()\n"
                "  i = i % #paths + 1\n"
                '  return wrk.format("GET", paths[i])\n'
                "end\n"
            )
            done = subprocess.run(
                ["wrk", "-t2", "-c8", f"-d{seconds}s", "-s", str(script)]
                + ["-H", f"Cookie: {cookie}", f"http://127.0.0.1:{port}"],
                check=True,
                capture_output=True,
                text=True,
            )
            rate = re.search(r"Requests/sec:\s+([\d.]+)", done.stdout)
            errors = re.search(r"Non-2xx or 3xx responses: (\d+)", done.stdout)
            figures[label] = {
                "requests_per_s": float(rate.group(1)) if rate else None,
                "non_2xx": int(errors.group(1)) if errors else 0,
            }
    finally:
        server.terminate()
        server.wait(timeout=30)
    return figures


def _wait_for(url: str, attempts: int = 100) -> None:
    for _attempt in range(attempts):
        try:
            with urllib.request.urlopen(url, timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise CommandError(f"gunicorn did not answer at {url}")
