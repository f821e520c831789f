"""The REST API under ``/api/v1/``: other systems push and pull what their
account may (README, "REST API")."""
