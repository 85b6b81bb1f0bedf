"""What the platforms' good-faith programmes expect of a complainant's record, as data with its sources.

A complainant whose takedown rate falls, or whose counter-notices rise, past these lines loses the programme's
benefits (faster handling, a lighter burden of proof). The portal measures the firm's own figures against them
(``portal.results.kpis``) and warns ``WARNING_MARGIN`` before a line is crossed.

How the portal counts, where the platforms' pages do not say: each listing of a complaint is one item, as the
platforms answer per listing; an item counts once the platform has answered it (removed, rejected or
counter-notice), and items still awaiting an answer count in neither rate. The portal records counter-notices
*received*; IPP's line is on *successful* counter-notices (those that put the listing back), so the portal's
counter-notice rate is an upper bound on IPP's and its warning errs early.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ownership.shared.choices import CHINESE_PLATFORMS, Platform

# The portal's own choice, not a platform's rule: warn this many percentage points before a line.
WARNING_MARGIN = Decimal("3")


@dataclass(frozen=True)
class Line:
    """One line a programme draws: a rate that must stay at or above (``at_least``) or at or below a percentage."""

    measure: str  # "takedown" (removed of answered) or "counter_notice" (counter-notices of answered)
    percent: Decimal
    at_least: bool

    def describe(self) -> str:
        name = {"takedown": "takedown rate", "counter_notice": "counter-notice rate"}[self.measure]
        return f"{name} {'at least' if self.at_least else 'at most'} {self.percent}%"


@dataclass(frozen=True)
class Programme:
    name: str
    platforms: frozenset[str]
    window_months: int  # the period the programme measures, ending today
    lines: tuple[Line, ...]
    source: str


PROGRAMMES = (
    Programme(
        name="Alibaba IPP Good-faith Takedown Mechanism",
        platforms=frozenset(CHINESE_PLATFORMS),  # IPP takes complaints for Alibaba.com, AliExpress, Taobao/Tmall, 1688
        window_months=3,
        lines=(Line("takedown", Decimal("90"), at_least=True), Line("counter_notice", Decimal("5"), at_least=False)),
        # "When an account's successful takedown rate is below 90% or the successful counter-notification rate
        # for the account is above 5% in the past three months, the account will be automatically removed from
        # the Mechanism." IPP, FAQ of Good-faith Takedown Mechanism of Alibaba (2020-10-27), ipp.alibabagroup.com
        # infoContent.htm?skyWindowUrl=ipp/gftm/faq_en; the period and the 5% are those of IPP's upgrade notice
        # of 2018 (skyWindowUrl=ipp/gftm/notice_en: 1 month became 3, 1.5% became 5%).
        source="IPP, FAQ of Good-faith Takedown Mechanism of Alibaba (ipp.alibabagroup.com, 2020-10-27)",
    ),
    Programme(
        name="Amazon Project Zero",
        platforms=frozenset({Platform.AMAZON}),
        window_months=6,
        lines=(Line("takedown", Decimal("90"), at_least=True),),
        # Enrolment asks that at least 90% of the brand's reports of potential infringement were accepted over
        # the last six months: Amazon Brand Services, Project Zero FAQ (brandservices.amazon.com/projectzero/faq),
        # as read for this portal on 2026-12-04. The page counts Amazon's acceptance of reports; the portal
        # counts removals of answered items, the nearest figure it records.
        source="Amazon Brand Services, Project Zero FAQ (brandservices.amazon.com/projectzero/faq)",
    ),
)


@dataclass(frozen=True)
class Verdict:
    line: Line
    percent: Decimal | None  # None: nothing answered in the window
    state: str  # "clear", "warning" (within WARNING_MARGIN of the line), "crossed" or "no_answers"


def judge(line: Line, percent: Decimal | None) -> Verdict:
    if percent is None:
        return Verdict(line, None, "no_answers")
    distance = percent - line.percent if line.at_least else line.percent - percent
    state = "crossed" if distance < 0 else "warning" if distance < WARNING_MARGIN else "clear"
    return Verdict(line, percent, state)
