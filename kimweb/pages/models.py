"""Feedback sent through the accessibility statement."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
import sqlalchemy.orm as so

from kimweb.auth.models import utcnow
from kimweb.extensions import db


class AccessibilityFeedback(db.Model):
    __tablename__ = "accessibility_feedback"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    name: so.Mapped[str | None] = so.mapped_column(sa.String(120))
    email: so.Mapped[str | None] = so.mapped_column(sa.String(254))
    page_url: so.Mapped[str | None] = so.mapped_column(sa.String(500))
    message: so.Mapped[str] = so.mapped_column(sa.Text)
    language: so.Mapped[str] = so.mapped_column(sa.String(8), default="de")
    created_at: so.Mapped[datetime] = so.mapped_column(
        sa.DateTime(timezone=True), default=utcnow, index=True
    )
