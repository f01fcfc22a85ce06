"""
WSGI config for config project.

It exposes the WSGI callable as a module-level variable named ``application``.

For more information on this file, see
https://docs.djangoproject.com/en/5.2/howto/deployment/wsgi/
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

application = get_wsgi_application()

# Import every app's Celery task modules and the broker's transport (kombu's and redis-py's
# modules) now, while the web process starts. Left to the first message a process queues (a
# registration's confirmation, on commit), they made that request wait: bench/registration.py
# --trace measured 9 s of task imports plus 2 s of transport imports on a loaded machine, the
# 9-11 s tail of a freshly started gunicorn. No connection is opened here (it is made at first
# use, in the worker process, so a --preload fork shares none).
from config import celery_app  # noqa: E402

celery_app.loader.import_default_modules()
celery_app.connection_for_write().release()
