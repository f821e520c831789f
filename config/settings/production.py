"""Production: PostgreSQL, Redis, TLS terminated at the reverse proxy.

Refuses to start with a placeholder or weak SECRET_KEY or database password.
"""

from django.core.checks.security.base import SECRET_KEY_MIN_LENGTH
from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env

# Values written in this repository (.env.example, the local and test settings)
# and words that only such values contain: never secrets.
PLACEHOLDER_SECRETS = frozenset({
    "change-me-to-a-long-random-string-of-50-characters-or-more",
    "change-me-db-password",
    "dev-only-insecure-key-not-for-production",
    "test-only-insecure-key",
})
PLACEHOLDER_WORDS = ("change-me", "changeme", "insecure", "placeholder", "not-a-secret")
SECRET_KEY_MIN_DISTINCT_CHARACTERS = 10
DATABASE_PASSWORD_MIN_LENGTH = 12


def _weak(value: str, *, min_length: int, min_distinct: int = 1) -> bool:
    lowered = value.lower()
    return (value in PLACEHOLDER_SECRETS or any(word in lowered for word in PLACEHOLDER_WORDS)
            or len(value) < min_length or len(set(value)) < min_distinct)


if _weak(SECRET_KEY, min_length=SECRET_KEY_MIN_LENGTH,  # noqa: F405
         min_distinct=SECRET_KEY_MIN_DISTINCT_CHARACTERS):
    raise ImproperlyConfigured(
        f"SECRET_KEY is a placeholder or too weak: it must be at least {SECRET_KEY_MIN_LENGTH} "
        f"characters long, with at least {SECRET_KEY_MIN_DISTINCT_CHARACTERS} different ones, "
        "and not an example value. Generate one with: "
        'python3 -c "import secrets; print(secrets.token_urlsafe(50))"')
if not DATABASES["default"]["ENGINE"].endswith("sqlite3") and _weak(  # noqa: F405
        DATABASES["default"].get("PASSWORD") or "",  # noqa: F405
        min_length=DATABASE_PASSWORD_MIN_LENGTH):
    raise ImproperlyConfigured(
        "The database password in DATABASE_URL is a placeholder or shorter than "
        f"{DATABASE_PASSWORD_MIN_LENGTH} characters. Generate one with: "
        'python3 -c "import secrets; print(secrets.token_hex(24))", set it in the database '
        "(ALTER ROLE ... PASSWORD '...'), then in POSTGRES_PASSWORD and DATABASE_URL.")

DEBUG = False
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True  # noqa: F405
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage",
}

# TLS is terminated by nginx, which sets X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=1)
DEMO_DATA_ALLOWED = False
MFA_REQUIRED = env.bool("MFA_REQUIRED", default=True)
EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend")
