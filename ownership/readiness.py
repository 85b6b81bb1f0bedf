"""The readiness report: for a right, a rights holder, or a matter's target platforms, what proof of
ownership is in place and what is still missing, in words a client can act on.

The requirements come from ``ownership.rules``; this module only matches them against the documents. The
matter lives in the evidence app, so callers pass its rights holder, rights and platform codes.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import models
from django.utils import timezone

from ownership import rules
from ownership.crosschecks import CheckWarning, document_warnings
from ownership.models import IPRight, OwnershipDocument, RightsHolder
from ownership.shared.choices import platform_label


class Status(models.TextChoices):
    SATISFIED = "satisfied", "Satisfied"
    MISSING = "missing", "Missing"
    EXPIRED = "expired", "Expired"
    NEEDS_TRANSLATION = "needs_translation", "Needs translation"


@dataclass(frozen=True)
class Item:
    """One rule's result: its status, what to do, and the documents that satisfy it (or that fall short)."""

    rule: rules.Rule
    status: Status
    documents: tuple[OwnershipDocument, ...] = ()

    @property
    def rule_id(self) -> str:
        return self.rule.id

    @property
    def is_satisfied(self) -> bool:
        return self.status == Status.SATISFIED

    @property
    def message(self) -> str:
        """What the client should do; empty when nothing is needed."""
        if self.status == Status.EXPIRED:
            latest = max((d.expires_on for d in self.documents if d.expires_on), default=None)
            when = f" on {latest:%d %B %Y}" if latest else ""
            return f"{self.rule.title}: the document expired{when}. {self.rule.explanation}"
        if self.status == Status.NEEDS_TRANSLATION:
            languages = sorted({d.get_language_display() for d in self.documents})
            return (
                f"{self.rule.title}: the document is in {' and '.join(languages)}. Upload an English or Chinese "
                "translation of it, linked to it as “translation of”."
            )
        if self.status == Status.MISSING:
            return f"{self.rule.title}: {self.rule.explanation}"
        return ""


def _warnings(items: tuple[Item, ...]) -> list[CheckWarning]:
    """What the documents' text contradicts (``crosschecks``): shown beside the report, never blocking it."""
    documents = {document.pk: document for item in items for document in item.documents}
    return [warning for document in documents.values() for warning in document_warnings(document)]


@dataclass(frozen=True)
class RightReadiness:
    right: IPRight
    items: tuple[Item, ...]

    @property
    def warnings(self) -> list[CheckWarning]:
        return _warnings(self.items)

    @property
    def ready(self) -> bool:
        return all(item.is_satisfied for item in self.items)

    is_complete = ready

    @property
    def missing(self) -> list[str]:
        return [item.message for item in self.items if not item.is_satisfied]


@dataclass(frozen=True)
class HolderReadiness:
    rights_holder: RightsHolder
    items: tuple[Item, ...]

    @property
    def warnings(self) -> list[CheckWarning]:
        return _warnings(self.items)

    @property
    def ready(self) -> bool:
        return all(item.is_satisfied for item in self.items)

    @property
    def missing(self) -> list[str]:
        return [item.message for item in self.items if not item.is_satisfied]


@dataclass(frozen=True)
class MatterReadiness:
    holder: HolderReadiness
    rights: tuple[RightReadiness, ...]
    platforms: tuple[str, ...]

    @property
    def ready(self) -> bool:
        return bool(self.rights) and self.holder.ready and all(r.ready for r in self.rights)

    is_ready = ready

    @property
    def open_items(self) -> list[Item]:
        return [item for item in self.holder.items if not item.is_satisfied] + [
            item for right in self.rights for item in right.items if not item.is_satisfied
        ]

    @property
    def summary(self) -> str:
        if not self.rights:
            return "No IP right recorded"
        count = len(self.open_items)
        if not count:
            return "Ready"
        return f"{count} item{'s' if count != 1 else ''} missing"


def readiness_for_right(
    right: IPRight,
    *,
    platforms: Iterable[str] = (),
    today: datetime.date | None = None,
    documents: Sequence[OwnershipDocument] | None = None,
) -> RightReadiness:
    """``documents``: the rights holder's documents, when the caller has them loaded already."""
    today = today or timezone.localdate()
    documents = _documents(right.rights_holder_id) if documents is None else documents
    own = [d for d in documents if d.right_id == right.pk]
    items = tuple(
        _assess(rule, context, own, documents, today)
        for rule, context in rules.rules_for_right(right, platforms=platforms, today=today)
    )
    return RightReadiness(right=right, items=items)


def readiness_for_holder(
    rights_holder: RightsHolder,
    *,
    platforms: Iterable[str] = (),
    today: datetime.date | None = None,
    documents: Sequence[OwnershipDocument] | None = None,
) -> HolderReadiness:
    today = today or timezone.localdate()
    documents = _documents(rights_holder.pk) if documents is None else documents
    own = [d for d in documents if d.right_id is None]
    items = tuple(
        _assess(rule, context, own, documents, today)
        for rule, context in rules.rules_for_holder(platforms=platforms, today=today)
    )
    return HolderReadiness(rights_holder=rights_holder, items=items)


def readiness_for_matter(
    *,
    rights_holder: RightsHolder,
    rights: Iterable[IPRight],
    platforms: Iterable[str],
    today: datetime.date | None = None,
    documents: Sequence[OwnershipDocument] | None = None,
) -> MatterReadiness:
    """Everything a complaint for these rights on these platforms needs, from the rights holder and per right.

    ``documents``: the rights holder's documents, when the caller has loaded them for many matters at once.
    """
    today = today or timezone.localdate()
    platforms = tuple(platforms)
    documents = _documents(rights_holder.pk) if documents is None else documents
    return MatterReadiness(
        holder=readiness_for_holder(rights_holder, platforms=platforms, today=today, documents=documents),
        rights=tuple(
            readiness_for_right(right, platforms=platforms, today=today, documents=documents) for right in rights
        ),
        platforms=platforms,
    )


def _documents(rights_holder_id: int) -> list[OwnershipDocument]:
    return list(
        OwnershipDocument.objects.filter(rights_holder_id=rights_holder_id).order_by("-issued_on", "-uploaded_at")
    )


def _assess(
    rule: rules.Rule,
    context: rules.Context,
    own: Sequence[OwnershipDocument],
    everything: Sequence[OwnershipDocument],
    today: datetime.date,
) -> Item:
    if rule.holds is not None:
        return Item(rule, Status.SATISFIED if rule.holds(context) else Status.MISSING)
    candidates = [
        d for d in own if d.doc_type in rule.document_types and (d.is_signed or d.doc_type not in rules.MUST_BE_SIGNED)
    ]
    current = [d for d in candidates if not d.is_expired(today)]
    if not candidates:
        return Item(rule, Status.MISSING)
    if not current:
        return Item(rule, Status.EXPIRED, tuple(candidates))
    readable = []
    for document in current:
        translations = [
            t for t in everything if t.translation_of_id == document.pk and t.is_readable and not t.is_expired(today)
        ]
        if document.is_readable or translations:
            readable += [document, *translations]
    if readable:
        return Item(rule, Status.SATISFIED, tuple(readable))
    return Item(rule, Status.NEEDS_TRANSLATION, tuple(current))


def format_report(report: MatterReadiness, *, title: str) -> str:
    """The report as plain text, for the ``readiness`` command."""
    platforms = ", ".join(platform_label(code) for code in report.platforms) or "none"
    lines = [title, f"Target platforms: {platforms}", ""]

    def block(heading: str, items: Iterable[Item], warnings: list[CheckWarning]) -> None:
        lines.append(heading)
        lines.extend(f"  [CHECK] {warning}" for warning in warnings)
        for item in items:
            lines.append(f"  [{item.status.label.upper()}] {item.rule.title} ({item.rule.id})")
            if item.is_satisfied:
                for document in item.documents:
                    lines.append(f"      {document} (SHA-256 {document.sha256[:12]}…)")
            else:
                lines.append(f"      {item.message}")
        lines.append("")

    block(f"Rights holder: {report.holder.rights_holder}", report.holder.items, report.holder.warnings)
    for right in report.rights:
        block(f"{right.right} [{right.right.identifier_display}]", right.items, right.warnings)
    if not report.rights:
        lines += ["No IP right is recorded for this rights holder.", ""]
    lines.append(f"{'READY' if report.ready else 'NOT READY'}: {report.summary}")
    return "\n".join(lines)
