"""ASGI entry point: the pages (HTTP) and the editor's live channel (websocket, see live/).

Production runs it under gunicorn with uvicorn workers (``gunicorn -c gunicorn.conf.py
designer.asgi:application``, the Procfile); ``manage.py runserver`` runs it under Daphne.
"""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "designer.settings")
# Django is set up before anything imports models (the consumers do).
django_application = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from live.routing import websocket_urlpatterns  # noqa: E402

# A websocket is opened only from a page of this site (its Origin among ALLOWED_HOSTS: no other
# site can open one with the user's cookies) and carries the user's session like any request.
application = ProtocolTypeRouter(
    {
        "http": django_application,
        "websocket": AllowedHostsOriginValidator(AuthMiddlewareStack(URLRouter(websocket_urlpatterns))),
    }
)
