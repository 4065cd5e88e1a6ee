"""docker-compose.yml parses and describes the production stack (docs/production.md)."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def compose_command() -> list[str]:
    if shutil.which("docker-compose"):
        return ["docker-compose"]
    plugin = (
        subprocess.run(["docker", "compose", "version"], capture_output=True, check=False)
        if shutil.which("docker")
        else None
    )
    if plugin is not None and plugin.returncode == 0:
        return ["docker", "compose"]
    pytest.fail("Neither docker-compose nor the docker compose plugin is installed: apt-get install docker-compose")


def compose_config(**environ: str) -> subprocess.CompletedProcess:
    env = {"PATH": os.environ["PATH"], **environ}
    return subprocess.run(
        [*compose_command(), "-f", str(ROOT / "docker-compose.yml"), "config"],
        cwd=ROOT, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip


def test_it_parses_and_runs_every_part_of_the_stack():
    result = compose_config(POSTGRES_PASSWORD="pw", SECRET_KEY="key")
    assert result.returncode == 0, result.stderr
    config = result.stdout
    for service in ("postgres:", "redis:", "web:", "worker:", "beat:"):
        assert f"\n  {service}" in config
    assert "noeviction" in config
    assert "gunicorn" in config
    assert "migrate --noinput" in config
    assert "redis://redis:6379/0" in config


def test_it_refuses_to_start_without_the_secrets():
    result = compose_config()
    assert result.returncode != 0
    assert "set POSTGRES_PASSWORD" in result.stderr or "set SECRET_KEY" in result.stderr
