"""Production settings pass Django's deployment checks; a missing secret key stops start-up."""

import os
import secrets
import string
import subprocess
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
# Variables that would change what the check sees if the developer's shell happens to set them.
_SCRUBBED = (
    "ENVIRONMENT",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "DATABASE_URL",
    "VAR_DIR",
    "DEBUG",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "CSRF_TRUSTED_ORIGINS",
    "SITE_URL",
    "DJANGO_SETTINGS_MODULE",
    "EMAIL_BACKEND",
)


def _secret_key() -> str:
    alphabet = string.ascii_letters + string.digits + "!@#%^&*(-_=+)"
    return "".join(secrets.choice(alphabet) for _ in range(60))


def _production_env(tmp_path: Path, **overrides: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in _SCRUBBED}
    env.update(
        ENVIRONMENT="production",
        SECRET_KEY=_secret_key(),
        ALLOWED_HOSTS="commonground.example.org",
        DATABASE_URL=f"sqlite:///{tmp_path}/x.sqlite3",
        VAR_DIR=str(tmp_path),
    )
    env.update(overrides)
    return env


def _commonground(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "commonground", *args],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_settings_pass_check_deploy_without_warnings(tmp_path):
    result = _commonground(
        _production_env(tmp_path), "check", "--deploy", "--fail-level", "WARNING"
    )
    assert result.returncode == 0, f"stdout:\n{result.stdout}\nstderr:\n{result.stderr}"
    assert "no issues" in result.stdout


def test_production_without_secret_key_fails_naming_secret_key(tmp_path):
    env = _production_env(tmp_path)
    del env["SECRET_KEY"]
    result = _commonground(env, "check")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr
    assert not (tmp_path / "secret_key").exists(), "production must never invent a key"


def test_production_with_debug_on_fails_check_deploy(tmp_path):
    result = _commonground(
        _production_env(tmp_path, DEBUG="1"), "check", "--deploy", "--fail-level", "WARNING"
    )
    assert result.returncode != 0
    assert "DEBUG" in result.stderr + result.stdout
