"""Keyset pages for the API: an opaque cursor names the last row served, so a page costs the same at any depth."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable

from django.db.models import Model, QuerySet
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request

DEFAULT_SIZE, LARGEST_SIZE = 100, 1000


def page_size(request: Request) -> int:
    raw = request.query_params.get("page_size", "")
    if not raw:
        return DEFAULT_SIZE
    if not raw.isdigit() or not 1 <= int(raw) <= LARGEST_SIZE:
        raise ValidationError({"page_size": [f"Give a whole number from 1 to {LARGEST_SIZE}."]})
    return int(raw)


def read_cursor(request: Request) -> list | None:
    raw = request.query_params.get("cursor", "")
    if not raw:
        return None
    try:
        value = json.loads(base64.urlsafe_b64decode(raw.encode() + b"=" * (-len(raw) % 4)))
    except ValueError:
        value = None
    if not isinstance(value, list) or not value:
        raise ValidationError({"cursor": ["This cursor is not one the API gave; start again without it."]})
    return value


def keyset_page(
    request: Request, rows: QuerySet, *, after: Callable[[QuerySet, list], QuerySet], key: Callable[[Model], list]
) -> tuple[list, str | None]:
    """One page of ``rows`` (already in keyset order) after the request's cursor, and the next page's URL.
    ``after`` narrows the rows to those after a cursor's key; ``key`` gives a row's key as JSON values."""
    size, cursor = page_size(request), read_cursor(request)
    if cursor is not None:
        try:
            rows = after(rows, cursor)
        except (TypeError, ValueError):
            raise ValidationError(
                {"cursor": ["This cursor is not one the API gave; start again without it."]}
            ) from None
    page = list(rows[: size + 1])
    if len(page) <= size:
        return page, None
    page = page[:size]
    token = base64.urlsafe_b64encode(json.dumps(key(page[-1])).encode()).decode().rstrip("=")
    query = request.query_params.copy()
    query["cursor"] = token
    return page, request.build_absolute_uri(request.path + "?" + query.urlencode())


def after_pk(rows: QuerySet, cursor: list) -> QuerySet:
    """For rows in ascending id order."""
    return rows.filter(pk__gt=int(cursor[0]))
