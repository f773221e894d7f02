"""Rendered public pages, kept per worker until the timetable changes or a minute passes.

The key holds the timetable's version (raised by every change, so a change shows at once),
the language, the filters and the current minute ("open now" moves with the clock). Each
page gets an ETag, so a browser that has it gets 304 Not Modified.
"""

from __future__ import annotations

import gzip
import hashlib
from collections import OrderedDict
from collections.abc import Callable, Hashable
from threading import Lock

from flask import Response, request, session
from flask_login import current_user

MAX_PAGES = 512


class PageCache:
    def __init__(self, size: int = MAX_PAGES) -> None:
        self.size = size
        self.pages: OrderedDict[Hashable, tuple[bytes, bytes, str]] = OrderedDict()
        self.lock = Lock()

    def get(self, key: Hashable) -> tuple[bytes, bytes, str] | None:
        with self.lock:
            page = self.pages.get(key)
            if page is not None:
                self.pages.move_to_end(key)
            return page

    def put(self, key: Hashable, page: tuple[bytes, bytes, str]) -> None:
        with self.lock:
            self.pages[key] = page
            self.pages.move_to_end(key)
            while len(self.pages) > self.size:
                self.pages.popitem(last=False)

    def clear(self) -> None:
        with self.lock:
            self.pages.clear()


pages = PageCache()


def shareable() -> bool:
    """Pages of anonymous visitors without pending messages are the same for everyone."""
    return not current_user.is_authenticated and not session.get("_flashes")


def cached_response(key: Hashable, render: Callable[[], Response]) -> Response:
    """The cached page for ``key`` (rendered once), answered with ETag and 304 support.

    Browsers and proxies may keep the page but must revalidate it ("no-cache"): a staff
    change shows at once, and an unchanged page costs a 304 without a body.
    """
    if not shareable():
        return render()  # a signed-in user's page has their menu: never share it
    page = pages.get(key)
    if page is None:
        response = render()
        if response.status_code != 200:
            return response  # errors are not kept
        body = response.get_data()
        etag = hashlib.sha1(body, usedforsecurity=False).hexdigest()[:24]
        page = (body, gzip.compress(body, compresslevel=6, mtime=0), etag)
        pages.put(key, page)
    body, compressed, etag = page
    if "gzip" in request.accept_encodings:
        response = Response(compressed, mimetype="text/html")
        response.headers["Content-Encoding"] = "gzip"
        etag += "-gz"
    else:
        response = Response(body, mimetype="text/html")
    response.vary.add("Accept-Encoding")
    response.set_etag(etag)
    if session.modified:  # e.g. a language chosen: the answer sets a cookie of its own
        response.cache_control.private = True
    else:
        response.cache_control.public = True
    response.cache_control.no_cache = True
    response.vary.update({"HX-Request", "Cookie", "Accept-Language"})
    return response.make_conditional(request)
