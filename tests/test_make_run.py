"""`make run` shows the URL and the login, not pages of setup output; a failing step still shows it all."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PREPARE = ROOT / "scripts" / "prepare-run"


def _prepare(tmp_path: Path, database_url: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "STATIC_ROOT": str(tmp_path / "static"),
        "PYTHONPATH": str(ROOT),
    }
    log = tmp_path / "run-setup.log"
    return subprocess.run(
        [str(PREPARE), sys.executable, str(log)], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )


def test_the_setup_steps_print_one_line_and_keep_the_rest_in_a_log(tmp_path):
    done = _prepare(tmp_path, f"sqlite:///{tmp_path / 'db.sqlite3'}")

    assert done.returncode == 0, done.stderr
    assert (done.stdout + done.stderr).strip().splitlines() == [
        f"Database ready (setup log: {tmp_path / 'run-setup.log'})."
    ]
    log = (tmp_path / "run-setup.log").read_text()
    assert "Applying designer.0001_initial... OK" in log
    assert "Created user demo" in log


def test_a_failing_step_shows_its_output(tmp_path):
    done = _prepare(tmp_path, f"sqlite:///{tmp_path / 'missing-dir' / 'db.sqlite3'}")

    assert done.returncode != 0
    assert "make run: this step failed:" in done.stderr
    assert "manage.py migrate" in done.stderr
    assert "unable to open database file" in done.stderr


def test_make_run_uses_the_quiet_setup():
    recipe = subprocess.run(
        ["make", "-n", "run", "-o", ".venv/.installed"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    ).stdout
    assert "scripts/prepare-run" in recipe
    assert "manage.py migrate" not in recipe
