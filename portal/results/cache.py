"""The results' figures kept for a short while, so a page read many times between writes is not recomputed.

Every figure is a grouped query over the scoped outcomes and listings, linear in their number (about 60 ms at
50,000 listings and 5,000 filed items on PostgreSQL). The figures of one scope, period and platform are kept for
``PORTAL_RESULTS_CACHE_SECONDS``, and a filing or an answer starts a new generation at once, so what staff just
recorded shows on the next view; anything else (an import, a network link) shows within that time. The page
says when its figures were computed. A cache that is down costs the computation, never the page.
"""

from __future__ import annotations

import hashlib
import logging
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db.models import QuerySet

from evidence.models import Matter
from portal.results.kpis import Period, Results, enforcement_results

logger = logging.getLogger(__name__)
GENERATION = "results-generation"


def results_changed() -> None:
    """A write changed the figures: every kept result is stale."""
    try:
        cache.set(GENERATION, uuid.uuid4().hex, None)
    except Exception:
        logger.warning("The results cache could not be told of a change", exc_info=True)


def kept_results(matters: QuerySet[Matter], *, period: Period, platform: str = "") -> Results:
    """``enforcement_results`` for the scope, from the cache while it is fresh. The scope's key is its SQL, which
    names the user's visible clients, so one user's figures are never served to another."""
    sql, params = matters.values("pk").query.sql_with_params()
    scope = hashlib.sha256(repr((sql, params, period, platform)).encode()).hexdigest()
    try:
        generation = cache.get(GENERATION) or ""
        key = f"results:{generation}:{scope}"
        found = cache.get(key)
    except Exception:
        logger.warning("The results cache could not be read", exc_info=True)
        return enforcement_results(matters, period=period, platform=platform)
    if found is not None:
        return found
    results = enforcement_results(matters, period=period, platform=platform)
    try:
        cache.set(key, results, settings.PORTAL_RESULTS_CACHE_SECONDS)
    except Exception:
        logger.warning("The results cache could not be written", exc_info=True)
    return results
