"""Security headers on every response."""

from __future__ import annotations

from flask import Flask, Response, request
from flask_login import current_user


def content_security_policy(frame_ancestors: str = "'none'") -> str:
    """The policy of every page; only an embeddable page names who may frame it."""
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self' data:",
            "object-src 'none'",
            "base-uri 'none'",
            f"frame-ancestors {frame_ancestors}",
            "form-action 'self'",
        ]
    )


CONTENT_SECURITY_POLICY = content_security_policy()


def init_app(app: Flask) -> None:
    if app.config.get("KIMWEB_TRUSTED_PROXIES"):
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = app.config["KIMWEB_TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)

    @app.after_request
    def _security_headers(response: Response) -> Response:
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("Referrer-Policy", "same-origin")
        if "frame-ancestors 'none'" in headers["Content-Security-Policy"]:
            headers.setdefault("X-Frame-Options", "DENY")
        if app.config.get("KIMWEB_HTTPS"):
            headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
        if current_user.is_authenticated and request.endpoint != "static":
            # Pages behind login are never kept by the browser or a proxy.
            headers["Cache-Control"] = "no-store"
            response.vary.add("Cookie")
        return response
