"""Celery tasks of the coordination app: thin wrappers around its services."""

from celery import shared_task


@shared_task(ignore_result=True, acks_late=True, soft_time_limit=4 * 60, time_limit=5 * 60)
def review_document_generate(review_id: int) -> None:
    """Write the Word report of review ``review_id`` unless it is done or
    being written (the service is idempotent)."""
    from .reviews.services import review_document_generate as generate

    generate(review_id=review_id)
