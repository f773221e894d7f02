"""Meetings of the bodies: series, agendas, minutes, tasks and the needs register."""

from kimweb.meetings.views import bp

__all__ = ["bp"]
