"""The production settings, loaded as a container loads them (a new process
with only the environment): they refuse placeholder and weak secrets, require
two-step sign-in, trust the bundled proxy and read the lockout limits."""

import json
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
GOOD_KEY = secrets.token_urlsafe(50)
GOOD_DB = f"postgres://kcn:{secrets.token_hex(24)}@db:5432/kcn"

REPORT = """
import json
import config.settings.production as s
print(json.dumps({"MFA_REQUIRED": s.MFA_REQUIRED, "TRUSTED_PROXY_COUNT": s.TRUSTED_PROXY_COUNT,
                  "DEBUG": s.DEBUG,
                  "LIMITS": [[list(k), v] for k, v in s.LOCKOUT_TIER_LIMITS.items()],
                  "AXES_LOCKOUT_PARAMETERS": s.AXES_LOCKOUT_PARAMETERS}))
"""


def load(**environment) -> subprocess.CompletedProcess:
    env = {"PATH": os.environ["PATH"], "ALLOWED_HOSTS": "kcn.example.vn",
           "SECRET_KEY": GOOD_KEY, "DATABASE_URL": GOOD_DB, **environment}
    return subprocess.run([sys.executable, "-c", REPORT], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=60)


def refused(result: subprocess.CompletedProcess, what: str) -> str:
    assert result.returncode != 0, result.stdout
    assert "ImproperlyConfigured" in result.stderr
    message = result.stderr.strip().splitlines()[-1]
    assert what in message
    return message


def example(name: str) -> str:
    """The value .env.example gives ``name``."""
    text = (ROOT / ".env.example").read_text(encoding="utf-8")
    return re.search(rf"^{name}=(.*)$", text, re.MULTILINE).group(1).strip()


def test_generated_secrets_are_accepted_and_the_production_defaults_hold():
    result = load()
    assert result.returncode == 0, result.stderr
    loaded = json.loads(result.stdout)
    assert loaded["DEBUG"] is False
    assert loaded["MFA_REQUIRED"] is True
    assert loaded["TRUSTED_PROXY_COUNT"] == 1
    assert loaded["LIMITS"] == [[["username", "ip_address"], 5], [["username"], 10],
                                [["ip_address"], 20]]


def test_the_lockout_limits_and_proxy_count_come_from_the_environment():
    result = load(AXES_FAILURE_LIMIT="4", AXES_USERNAME_FAILURE_LIMIT="8",
                  AXES_IP_FAILURE_LIMIT="50", TRUSTED_PROXY_COUNT="2")
    assert result.returncode == 0, result.stderr
    loaded = json.loads(result.stdout)
    assert loaded["LIMITS"] == [[["username", "ip_address"], 4], [["username"], 8],
                                [["ip_address"], 50]]
    assert loaded["AXES_LOCKOUT_PARAMETERS"] == [["username", "ip_address"], ["username"],
                                                 ["ip_address"]]
    assert loaded["TRUSTED_PROXY_COUNT"] == 2


def test_the_secret_key_of_env_example_is_refused():
    placeholder = example("SECRET_KEY")
    assert len(placeholder) >= 50  # long enough: only its being a placeholder refuses it
    message = refused(load(SECRET_KEY=placeholder), "SECRET_KEY")
    assert placeholder not in message
    assert "secrets.token_urlsafe(50)" in message


def test_the_database_password_of_env_example_is_refused():
    url = example("DATABASE_URL")
    password = example("POSTGRES_PASSWORD")
    assert f":{password}@" in url
    message = refused(load(DATABASE_URL=url), "database password")
    assert password not in message
    # Even made longer, a value built on the placeholder is refused.
    refused(load(DATABASE_URL=url.replace(password, password + "-2027-prod")),
            "database password")


WEAK_KEYS = {
    "local settings": "dev-only-insecure-key-not-for-production",
    "django-admin startproject": "django-insecure-" + GOOD_KEY,
    "49 characters": GOOD_KEY[:49],
    "2 different characters": "ab" * 40,
    "9 different characters": "abcdefghi" * 6,
}


@pytest.mark.parametrize("kind", WEAK_KEYS)
def test_weak_secret_keys_are_refused(kind):
    refused(load(SECRET_KEY=WEAK_KEYS[kind]), "SECRET_KEY")


def test_a_secret_key_of_fifty_characters_is_enough():
    assert load(SECRET_KEY=secrets.token_hex(25)).returncode == 0


@pytest.mark.parametrize("url", [
    "postgres://kcn:Short-pw-11@db:5432/kcn",     # 11 characters
    "postgres://kcn@db:5432/kcn",                 # none
    "postgres://kcn:changeme-changeme-changeme@db:5432/kcn",
])
def test_weak_database_passwords_are_refused(url):
    refused(load(DATABASE_URL=url), "database password")


def test_a_database_password_of_twelve_characters_is_enough():
    assert load(DATABASE_URL="postgres://kcn:Long-pw-1234@db:5432/kcn").returncode == 0


def test_check_deploy_still_passes():
    result = subprocess.run(["bash", "scripts/check_deploy.sh"], cwd=ROOT, capture_output=True,
                            text=True, timeout=120,
                            env={"PATH": os.environ["PATH"],
                                 "DATABASE_URL": "postgres://app@127.0.0.1:5432/app"})
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
