"""The public open-consultation timetable and its editing by staff."""

from kimweb.consultations.views import bp

__all__ = ["bp"]
