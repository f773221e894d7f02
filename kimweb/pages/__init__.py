"""The start page, the statements every public site needs, and placeholders."""

from kimweb.pages.views import bp

__all__ = ["bp"]
