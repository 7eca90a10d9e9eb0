"""Background work: the Celery app, queues and thin task entry points into backend/recommender."""
