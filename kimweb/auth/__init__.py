"""Sign-in, sessions and the user's own account."""

from kimweb.auth.views import bp

__all__ = ["bp"]
