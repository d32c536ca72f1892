import logging

from celery import shared_task
from django.core.cache import cache
from django.utils import timezone

log = logging.getLogger(__name__)


@shared_task
def heartbeat(label: str = "beat"):
    """Proves the worker and beat are alive: `make run` logs it, the cache keeps the last one."""
    cache.set(f"celery-heartbeat:{label}", timezone.now().isoformat(), 3600)
    log.info("celery heartbeat %s", label)
    return label
