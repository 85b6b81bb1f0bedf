"""Checking afterwards that nothing changed: stored exhibits against their hashes, custody chains link by link."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from evidence.models import CustodyEvent, Exhibit, Matter
from ownership.shared import hashchain
from ownership.shared.files.storage import stored_file_problem


@dataclass(frozen=True)
class Problem:
    what: str
    detail: str

    def __str__(self) -> str:
        return f"{self.what}: {self.detail}"


def exhibit_integrity_problems(matter: Matter | None = None) -> list[Problem]:
    """Every exhibit whose stored bytes no longer hash to the SHA-256 recorded at upload."""
    exhibits = Exhibit.objects.select_related("matter").order_by("matter__reference", "number")
    if matter is not None:
        exhibits = exhibits.filter(matter=matter)
    return exhibit_integrity_problems_for(exhibits.iterator())


def exhibit_integrity_problems_for(exhibits: Iterable[Exhibit]) -> list[Problem]:
    problems = []
    for exhibit in exhibits:
        detail = stored_file_problem(exhibit.file.name, exhibit.sha256)
        if detail:
            problems.append(Problem(f"Exhibit {exhibit.pk} ({exhibit.label})", detail))
        if exhibit.ocr_file and (detail := stored_file_problem(str(exhibit.ocr_file.name), exhibit.ocr_sha256)):
            problems.append(Problem(f"Exhibit {exhibit.pk} ({exhibit.label}), its searchable copy", detail))
    return problems


def custody_chain_problems(matter: Matter | None = None) -> list[Problem]:
    """The first broken entry of each matter's custody chain."""
    matters = Matter.objects.order_by("reference")
    if matter is not None:
        matters = matters.filter(pk=matter.pk)
    problems = []
    for each in matters:
        events = CustodyEvent.objects.filter(matter=each).select_related("matter", "exhibit").order_by("sequence")
        broken = hashchain.first_break(events.iterator(chunk_size=2000))
        if broken:
            problems.append(Problem(broken.label, broken.reason))
            continue
        last = CustodyEvent.objects.filter(matter=each).order_by("-sequence").values_list("sequence", "entry_hash")
        length, head = last.first() or (0, hashchain.GENESIS)
        if (length, head) != (each.custody_length, each.custody_head):
            problems.append(
                Problem(
                    f"{each.reference} custody chain",
                    f"ends at entry #{length} but the matter recorded {each.custody_length} entries: the newest "
                    "entries were removed or replaced",
                )
            )
    return problems
