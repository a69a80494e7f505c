"""Base URLs as they may be shown and stored: no credentials, no query string.

A user may write `https://user:token@host/v1?key=...`; cache keys, config files, logs and
reports only ever see `https://host/v1`.
"""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit


def public_url(url: str | None) -> str | None:
    """The URL without any user:password part or query, fit for cache keys and logs."""
    if not url:
        return None
    parts = urlsplit(url)
    netloc = parts.hostname or ""
    if parts.port:
        netloc += f":{parts.port}"
    return urlunsplit((parts.scheme, netloc, parts.path.rstrip("/"), "", ""))
