"""The platform's answers to one complaint, pasted as a list, read line by line and matched to its items.

A line names the item as the complaint did (the link, the ASIN or the eBay item number), then the answer:
``removed``; ``rejected`` and the platform's reason; or ``counter-notice``, the date it was received and the
date to answer by (year first). Separators may be tabs, commas, semicolons or spaces. An item the complaint
does not hold, an unreadable answer or a missing reason or date is reported with its line number, never guessed.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from evidence.models import Listing
from evidence.sellers.urls import normalise_url
from portal.models import ListingOutcome
from portal.platform_rules import item_identifier, rules_for

OUTCOME_WORDS = {
    "removed": ListingOutcome.Outcome.REMOVED,
    "taken down": ListingOutcome.Outcome.REMOVED,
    "rejected": ListingOutcome.Outcome.REJECTED,
    "counter-notice": ListingOutcome.Outcome.COUNTER_NOTICE,
    "counter notice": ListingOutcome.Outcome.COUNTER_NOTICE,
    "counternotice": ListingOutcome.Outcome.COUNTER_NOTICE,
}
_DATE = re.compile(r"\d{4}[-/]\d{2}[-/]\d{2}")


@dataclass(frozen=True)
class Answer:
    listing_id: int
    result: str
    reason: str = ""
    received_on: datetime.date | None = None
    answer_by: datetime.date | None = None


@dataclass
class ReadAnswers:
    answers: list[Answer] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def _key(identifier: str) -> str:
    return normalise_url(identifier) if "/" in identifier else identifier.upper()


def read_answers(text: str, *, platform: str, listings: Iterable[Listing]) -> ReadAnswers:
    rules = rules_for(platform)
    items: dict[str, int] = {}
    for listing in listings:
        items[normalise_url(listing.url)] = listing.pk
        items[_key(item_identifier(rules, listing.url, listing.platform_item_id))] = listing.pk
    read = ReadAnswers()
    seen: dict[int, int] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        identifier, rest = _split(line)
        listing_id = items.get(_key(identifier))
        if listing_id is None:
            read.problems.append(f"Line {number}: “{identifier}” is not one of this complaint's items.")
            continue
        if listing_id in seen:
            read.problems.append(f"Line {number}: the same item as line {seen[listing_id]}.")
            continue
        seen[listing_id] = number
        answer = _answer(listing_id, rest, number, read.problems)
        if answer:
            read.answers.append(answer)
    if not read.answers and not read.problems:
        read.problems.append("Paste at least one line: the item, then removed, rejected or counter-notice.")
    return read


def _split(line: str) -> tuple[str, str]:
    """The item (up to the first separator) and the rest of the line."""
    parts = re.split(r"[\t,;]\s*|\s+", line, maxsplit=1)
    return parts[0], parts[1] if len(parts) > 1 else ""


def _answer(listing_id: int, rest: str, number: int, problems: list[str]) -> Answer | None:
    lowered = rest.lower()
    word = next((w for w in sorted(OUTCOME_WORDS, key=len, reverse=True) if lowered.startswith(w)), None)
    if word is None:
        problems.append(f"Line {number}: say removed, rejected or counter-notice after the item.")
        return None
    result, detail = OUTCOME_WORDS[word], rest[len(word) :].strip(" \t,;:-")
    if result == ListingOutcome.Outcome.REJECTED and not detail:
        problems.append(f"Line {number}: give the platform's reason for rejecting it.")
        return None
    if result == ListingOutcome.Outcome.COUNTER_NOTICE:
        dates = [datetime.date.fromisoformat(d.replace("/", "-")) for d in _DATE.findall(detail)]
        if len(dates) != 2 or dates[1] < dates[0]:
            problems.append(
                f"Line {number}: a counter-notice needs the date received and the date to answer by, in that order "
                "(e.g. 2026-04-03 2026-04-17)."
            )
            return None
        return Answer(listing_id, result, received_on=dates[0], answer_by=dates[1])
    return Answer(listing_id, result, reason=detail if result == ListingOutcome.Outcome.REJECTED else "")
