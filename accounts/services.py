from django.contrib.auth.password_validation import validate_password
from django.db import transaction

from .models import User


@transaction.atomic
def account_create(*, username: str, password: str, zones=(), **fields) -> User:
    """Create an account with a validated password and its zone assignments.

    Organization and role go together (a database constraint); an account
    without them is a pure administrator or has no access at all.
    """
    user = User(username=username, **fields)
    validate_password(password, user)
    user.set_password(password)
    user.full_clean()
    user.save()
    if zones:
        user.zones.set(zones)
    return user
