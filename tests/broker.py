"""Pointing the test process's Celery app at another broker, and back."""


def drop_connections(app) -> None:
    """Forget pooled connections, so the next send uses the broker URL now set.

    The app's pool is kombu's process-wide pool for that URL: closing it alone leaves a
    closed pool in kombu's registry, and every later test in this process that sends a
    task gets "Acquire on closed pool". `pools.reset()` closes and forgets them all.
    """
    from kombu import pools

    pools.reset()
    app._pool = None
    app.amqp._producer_pool = None
