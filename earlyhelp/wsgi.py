"""WSGI entry point: `gunicorn earlyhelp.wsgi`."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "earlyhelp.settings")
# The web server connects as the app role, which owns no table (see settings: Database).
os.environ.setdefault("EARLYHELP_DATABASE_ROLE", "app")

application = get_wsgi_application()
