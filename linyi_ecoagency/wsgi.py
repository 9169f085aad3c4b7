"""WSGI entry point (gunicorn linyi_ecoagency.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "linyi_ecoagency.settings")
application = get_wsgi_application()
