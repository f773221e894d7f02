"""Administration: users, the sign-in log and accessibility feedback."""

from kimweb.admin.views import bp

__all__ = ["bp"]
