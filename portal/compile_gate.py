"""The compile gate: what a matter still lacks before a bundle for a platform may be compiled.

One place for the rule, asked by every way a compile starts (the matter page, the campaign builder,
``compile_bundle``): the proof of ownership the jurisdiction and platform require (``ownership.readiness``),
for IPP platforms the test-buy reports signed by the rights holder (``evidence.readiness``), and every
certificate cross-check that found a contradiction or could not run. Staff may overrule with a reason, which
is audited and printed in the bundle's manifest.
"""

from __future__ import annotations

from collections.abc import Iterable

from evidence.models import Matter, TestPurchase
from evidence.readiness import purchase_readiness
from ownership.models import IPRight
from ownership.readiness import readiness_for_matter
from ownership.shared.choices import CHINESE_PLATFORMS


def bundle_gaps(*, matter: Matter, platform: str, rights: Iterable[IPRight]) -> list[str]:
    """What is missing for a bundle of ``matter`` on ``platform`` asserting ``rights``, in words; empty: ready."""
    rights = list(rights)
    if not rights:
        return ["No IP right is chosen: a complaint rests on at least one."]
    readiness = readiness_for_matter(rights_holder=matter.rights_holder, rights=rights, platforms=[platform])
    gaps = [item.message for item in readiness.open_items]
    warnings = [*readiness.holder.warnings, *(warning for right in readiness.rights for warning in right.warnings)]
    gaps += [f"Cross-check: {warning}" for warning in dict.fromkeys(str(w) for w in warnings)]
    if platform in {str(p) for p in CHINESE_PLATFORMS}:
        on_platform = set(
            TestPurchase.objects.filter(matter=matter, listing__platform=platform).values_list("pk", flat=True)
        )
        gaps += [gap.text for gap in purchase_readiness(matter) if gap.purchase_id in on_platform]
    return gaps
