"""Development on one machine: SQLite, console email, filesystem Celery broker."""

import os

os.environ.setdefault("DEBUG", "True")
os.environ.setdefault("SECRET_KEY", "dev-only-insecure-key-not-for-production")

from .base import *  # noqa: E402,F401,F403

# The filesystem broker needs its folders.
for _folder in ("queue", "processed", "control"):
    (VAR_DIR / "celery" / _folder).mkdir(parents=True, exist_ok=True)  # noqa: F405
