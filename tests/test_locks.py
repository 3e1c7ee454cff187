"""The lock files pin, with hashes, a version inside every range pyproject.toml declares."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent


def _pins(lock: str) -> dict[str, str]:
    text = (ROOT / lock).read_text()
    pins = {}
    for block in re.split(r"\n(?=\S)", text):
        line = block.split("\n", 1)[0]
        match = re.match(r"([A-Za-z0-9._-]+)==(\S+) \\", line)
        if match:
            assert "--hash=sha256:" in block, f"{lock}: {match.group(1)} has no hash"
            pins[canonicalize_name(match.group(1))] = match.group(2)
    return pins


def _ranges(*extras: str) -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = list(project["dependencies"])
    for extra in extras:
        wanted += project["optional-dependencies"][extra]
    return [Requirement(spec) for spec in wanted]


@pytest.mark.parametrize(("lock", "extras"), [("requirements.lock", ()), ("requirements-dev.lock", ("dev",))])
def test_every_declared_range_is_pinned_inside_the_range(lock, extras):
    pins = _pins(lock)

    for requirement in _ranges(*extras):
        name = canonicalize_name(requirement.name)
        assert name in pins, f"{lock} lacks {name}: run make lock"
        assert requirement.specifier.contains(pins[name], prereleases=True), (
            f"{lock} pins {name}=={pins[name]} outside {requirement.specifier}: run make lock"
        )


def test_the_dev_lock_installs_what_the_runtime_lock_pins():
    runtime, dev = _pins("requirements.lock"), _pins("requirements-dev.lock")

    assert {name: dev.get(name) for name in runtime} == runtime
