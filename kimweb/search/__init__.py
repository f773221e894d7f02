"""One search over the directory, agendas and minutes, events and consultation offers."""

from kimweb.search.views import bp

__all__ = ["bp"]
