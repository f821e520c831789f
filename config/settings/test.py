"""Tests: real PostgreSQL (DATABASE_URL) and, where a test asks, real Redis."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-insecure-key")
os.environ.setdefault("DEMO_DATA_ALLOWED", "True")

from .base import *  # noqa: E402,F403
from .base import env  # noqa: E402

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
ALLOWED_HOSTS = ["*"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = env.path("MEDIA_ROOT", default="/tmp/kcn-test-media")
# The lockout tiers at their defaults, whatever the environment says.
LOCKOUT_TIER_LIMITS = {("username", "ip_address"): 5, ("username",): 10, ("ip_address",): 20}
AXES_FAILURE_LIMIT = 5
TRUSTED_PROXY_COUNT = 0
# The API's rates are tested on their own (tests/api/test_throttling.py); the
# other tests, the schema's fuzzing among them, are not throttled.
API_THROTTLE_RATES = {"read": None, "write": None}
# Each test's data lives in its transaction, which other connections do not
# see: queries run in the test's thread (core.parallel runs them there inside
# a transaction anyway); tests/core/test_parallel.py turns the threads on.
PARALLEL_QUERY_THREADS = 0
