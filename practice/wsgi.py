import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "practice.settings")

application = get_wsgi_application()

# Load the engine's pronunciation dictionary now (in the gunicorn master with preload_app),
# not in the first student's request; forked workers share it.
from practice.scoring import warm_up  # noqa: E402

warm_up()
