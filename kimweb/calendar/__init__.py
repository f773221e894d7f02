"""The shared event calendar: events, recurring series, meetings, feeds and import."""

from kimweb.calendar.views import bp

__all__ = ["bp"]
