"""Storing and listing accessibility feedback."""

from __future__ import annotations

import sqlalchemy as sa

from kimweb.extensions import db
from kimweb.pages.models import AccessibilityFeedback


def save_feedback(
    message: str, page_url: str | None, name: str | None, email: str | None, language: str
) -> AccessibilityFeedback:
    feedback = AccessibilityFeedback(
        message=message.strip(),
        page_url=(page_url or "").strip() or None,
        name=(name or "").strip() or None,
        email=(email or "").strip() or None,
        language=language,
    )
    db.session.add(feedback)
    db.session.commit()
    return feedback


def feedback_query() -> sa.Select:
    return sa.select(AccessibilityFeedback).order_by(AccessibilityFeedback.created_at.desc())
