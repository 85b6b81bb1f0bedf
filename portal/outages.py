"""A database that is unreachable for a moment (PostgreSQL restarting, a failover) answers a request with a
clear 503 instead of a server error. The request's transaction was rolled back, so nothing of it is half kept (a
file it stored is removed with it); the person is told to check and try again."""

from __future__ import annotations

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views import defaults

logger = logging.getLogger(__name__)

MESSAGE = (
    "The portal's database could not be reached just now (it may be restarting), so your last action was not "
    "completed. Wait a minute, then check and try again."
)
PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Try again in a minute</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body style="font-family: sans-serif; max-width: 40rem; margin: 4rem auto; line-height: 1.5">
<h1>Try again in a minute</h1><p>{message}</p></body></html>"""


def server_error(request: HttpRequest) -> HttpResponse:
    """The portal's 500 handler: a database outage is a clear 503 (it needs no database to say so); any other
    error is Django's own server-error page."""
    exc = sys.exc_info()[1]
    if not isinstance(exc, (OperationalError, InterfaceError)):
        return defaults.server_error(request)
    logger.error("Database unreachable during %s %s: %s", request.method, request.path, exc)
    if "application/json" in request.headers.get("Accept", ""):
        response: HttpResponse = JsonResponse({"error": MESSAGE}, status=503)
    else:
        response = HttpResponse(PAGE.format(message=MESSAGE), status=503)
    response["Retry-After"] = "60"
    return response
