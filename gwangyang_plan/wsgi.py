"""WSGI entry point for gunicorn."""

import os

from django.core.wsgi import get_wsgi_application

from gwangyang_plan.boot import load_settings_or_exit

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gwangyang_plan.settings")
load_settings_or_exit()
application = get_wsgi_application()
