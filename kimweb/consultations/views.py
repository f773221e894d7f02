"""Consultation views (filled below)."""

from flask import Blueprint

bp = Blueprint("consultations", __name__, url_prefix="/consultations")
