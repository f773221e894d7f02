"""WSGI entry point: ``gunicorn wsgi:app``."""

from kimweb import create_app

app = create_app()
