import pytest
from rest_framework.test import APIClient

from api import services


@pytest.fixture
def api():
    """An API client: ``api.as_(user)`` signs its requests with a new token of ``user``."""

    class Client(APIClient):
        def as_(self, user, **token):
            secret = services.token_create(actor=None, account=user, name="test",
                                           **token).secret
            self.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
            return self

    return Client()
