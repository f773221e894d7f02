"""The partner contact directory: organisations and contact persons."""

from kimweb.directory.views import bp

__all__ = ["bp"]
