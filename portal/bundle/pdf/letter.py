"""The complaint letter: one complaint per page group, in the form the platform takes it (``platform_rules``)."""

from __future__ import annotations

from pathlib import Path

from portal.bundle.complaints import Complaint, split_complaints
from portal.bundle.inputs import BundleInput, RightInput
from portal.bundle.pdf.layout import GREY, Writer
from portal.bundle.pdf.pages import is_chinese_platform, long_date
from portal.platform_rules import PlatformRules, item_identifier, rules_for, statements_for


def _bilingual(english: str, chinese: str, on: bool) -> str:
    return f"{english}  {chinese}" if on else english


def _right_lines(right: RightInput, rules: PlatformRules) -> list[str]:
    lines = [f"{right.kind_name} ({right.jurisdiction}): {right.title}; owner {right.owner_name}"]
    lines += [f"{label}: {value}" for label, value in right.identifiers]
    if rules.code == "amazon" and right.kind == "copyright" and not right.registration_number:
        lines.append(f"Not registered. The original work: {right.title}, described by the facts above.")
    return lines


def _reason_line(complaint: Complaint, rules: PlatformRules, platform_label: str) -> str:
    reason = rules.reasons.get(complaint.ip_kind)
    kind = complaint.rights[0].kind_name if complaint.rights else complaint.ip_kind
    if rules.reason_is_ip_type:
        return f"IP type: {kind}"
    if reason and reason.known and reason.verified:  # unconfirmed wording is never put to the platform as fact
        return f"Reason ({reason.code}): {reason.text}" if reason.code else f"Reason: {reason.text}"
    return f"Reason: to be chosen in {platform_label}'s own list for {kind.lower()} complaints when filing."


def letter(bundle: BundleInput, path: Path) -> int:
    rules = rules_for(bundle.platform)
    chinese = is_chinese_platform(bundle.platform)
    w = Writer(path, "Complaint letter", heading=f"{bundle.matter_reference} · Complaint letter")
    complaints = split_complaints(bundle)
    for complaint in complaints:
        if complaint.number > 1:
            w.page_break()
        heading = f"{rules.complaint_title} {complaint.number} of {len(complaints)}"
        w.title(_bilingual(heading, rules.complaint_title_zh, chinese), size=14)
        w.space(4)
        w.text(f"Date: {long_date(bundle.issued_on)}", size=10)
        site = f" ({complaint.site})" if complaint.site else ""
        w.text(f"To: {bundle.platform_label}{site}", size=10)
        local = f" ({bundle.rights_holder_local_name})" if bundle.rights_holder_local_name else ""
        w.text(f"Complainant: {bundle.rights_holder_name}{local}", size=10)
        w.text(f"Agent: {bundle.firm_name}, acting under the letter of authorisation in section A", size=10)
        w.space(6)
        w.text(_bilingual("Right asserted", "主张的权利", chinese), size=11, bold=True)
        for right in complaint.rights:
            for line in _right_lines(right, rules):
                w.text(line, size=9, indent=8, gap=2)
        w.text(_reason_line(complaint, rules, bundle.platform_label), size=9, indent=8)
        w.space(6)
        label = rules.item_label if rules.item_label.isupper() else rules.item_label.lower()
        count = f"{len(complaint.listings)} {label}{'s' if len(complaint.listings) != 1 else ''}"
        w.text(_bilingual(f"Infringing items ({count})", "侵权链接", chinese), size=11, bold=True)
        for listing in complaint.listings:
            w.text(item_identifier(rules, listing.url, listing.item_id), size=8, indent=8, gap=1)
            details = [listing.title]
            if listing.seller_name or listing.seller_id:
                details.append(
                    f"seller {listing.seller_name}" + (f" (id {listing.seller_id})" if listing.seller_id else "")
                )
            if rules.prints_order_ids_with_listings and complaint.order_ids.get(listing.url):
                details.append("test-buy order ID " + ", ".join(complaint.order_ids[listing.url]))
            if rules.asks_where_infringement_appears:
                details.append("infringement appears in: " + (", ".join(listing.appears_in) or "not recorded"))
            w.text(" — ".join(d for d in details if d), size=7, indent=16, color=GREY)
        if complaint.purchase:
            p = complaint.purchase
            w.space(6)
            w.text(_bilingual("Test purchase", "测试购买", chinese), size=11, bold=True)
            w.text(f"Order number {p.order_number} of {long_date(p.order_date)}: {p.result_label}. The test-buy "
                   f"report and its exhibits ({', '.join(map(str, p.exhibit_numbers)) or 'none'}) are in section C.",
                   size=9, indent=8)  # fmt: skip
            if p.reasons:
                w.text(_bilingual("Supplementary reasons", "补充侵权理由", chinese), size=11, bold=True)
                w.text(p.reasons, size=9, indent=8)
        w.space(6)
        w.text(_bilingual("Statements", "声明", chinese), size=11, bold=True)
        for statement in statements_for(bundle.platform, complaint.ip_kind):
            w.text(f"• {statement}", size=9, indent=8)
        w.space(10)
        w.ensure(40)
        # Every letter is signed and dated by a named person (eBay's NOCI asks it of the rights owner or agent).
        w.text(f"Signed for {bundle.firm_name}, agent of the rights holder,", size=9)
        w.text(f"by {bundle.signatory or bundle.firm_name} on {long_date(bundle.issued_on)}.", size=9, bold=True)
        w.text("Signed digitally: the firm's certified signature is on the cover page.", size=8, color=GREY)
    return w.finish()
