"""The statements the portal drafts for the rights holder to sign, as data: one template per kind and language.

Sources and status:
- The statement of truth of a witness statement is the wording of CPR Practice Direction 22 para 2.2 as amended
  from 6 April 2020 (113th PD update), contempt-of-court warning included; PD 22 para 2.4 wants it in the
  witness's own language and para 2.5 dated with the day it is signed, so the UK witness statement is drafted in
  English only and dated at signing. PD 32 asks a witness statement to say how it was prepared: paragraph
  ``prepared`` does.
- The ownership paragraphs cite the Copyright, Designs and Patents Act 1988: s.11(2) (work made by an employee in
  the course of employment) and s.90(3) (an assignment is effective only in writing signed by the assignor).
- IPP's own Copyright Claim Statement form is published by Alibaba as a template the portal could not read; the
  text below states the facts IPP's help page asks of it (the work, the owner, and that the listed links contain
  the work without consent). Compare it with IPP's current template before filing.
- The test-buy report states what the bundle's own test-buy report shows (order, listing, what arrived, the
  examination and who made it), for the rights holder's signature: IPP's test-buy FAQ asks for the report signed
  or sealed by the rights holder.
- The letter of authorisation is the firm's drafting: it names the platforms, the signatory and title, and an
  expiry date, which is what IPP asks of an agent's authorisation.

All texts were drafted by the portal's engineers; the Simplified Chinese beside the IPP statement and the letter
is their own writing, not machine translation, and not a reviewed translation. Like notices, a text is used only
after a firm member with the review permission records a review of exactly that text (``WordingReview``).

Placeholders are filled from recorded facts; a fact that is not recorded is listed as missing, never printed
blank.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from portal.notice_wording import CHINESE, ENGLISH, wording_digest
from portal.notice_wording import languages_for as notice_languages

WITNESS_STATEMENT = "witness_statement"
COPYRIGHT_CLAIM_STATEMENT = "copyright_claim_statement"
LETTER_OF_AUTHORISATION = "letter_of_authorisation"
TEST_BUY_REPORT = "test_buy_report"

# CPR PD 22 para 2.2 (from 6 April 2020).
STATEMENT_OF_TRUTH = (
    "I believe that the facts stated in this witness statement are true. I understand that proceedings for "
    "contempt of court may be brought against anyone who makes, or causes to be made, a false statement in a "
    "document verified by a statement of truth without an honest belief in its truth."
)


@dataclass(frozen=True)
class Paragraph:
    """One paragraph; ``needs`` are the facts it cannot be written without."""

    text: str
    needs: tuple[str, ...] = ()


@dataclass(frozen=True)
class StatementTemplate:
    kind: str
    language: str
    title: str
    paragraphs: tuple[Paragraph, ...]
    confirmation: str  # what the signer confirms by ticking, shown beside the signing form
    signature_label: str


_WS = (
    Paragraph("I, {signatory}, am {signatory_title} of {holder} (the “Company”), of {holder_address}. I am "
              "authorised to make this statement on the Company's behalf.",
              ("signatory", "signatory_title", "holder_address")),
    Paragraph("This statement was prepared by {firm} from the facts the Company recorded with it. I read it in the "
              "firm's evidence portal and signed it there electronically. The facts in it are within my own "
              "knowledge or come from the Company's records, which I have seen."),
    Paragraph("The work is “{work}”. It was created on {creation_date} by {authors}.",
              ("creation_date", "authors")),
    Paragraph("{ownership}", ("ownership",)),
    Paragraph("Dated evidence of the work's creation is exhibited as {creation_exhibits}.", ("creation_exhibits",)),
    Paragraph("The work was first published on {publication_date} in {publication_place}.",
              ("publication_date", "publication_place")),
    Paragraph("Statement of truth. " + STATEMENT_OF_TRUTH),
)  # fmt: skip

# How the Company came to own the copyright, by the right's recorded authorship (CDPA 1988).
OWNERSHIP_SENTENCES = {
    "author": "The Company itself is the author of the work, and so the first owner of its copyright.",
    "employee": "{authors} made the work as an employee of the Company in the course of employment, so the Company "
    "is the first owner of the copyright (Copyright, Designs and Patents Act 1988, s.11(2)). The employment is "
    "shown by {title_exhibits}.",
    "commissioned": "The work was commissioned from {authors}, who assigned the copyright to the Company in "
    "writing, signed by them (Copyright, Designs and Patents Act 1988, s.90(3)). The assignment is {title_exhibits}.",
    "assigned": "{authors} assigned the copyright to the Company in writing, signed by them (Copyright, Designs "
    "and Patents Act 1988, s.90(3)). The assignment is {title_exhibits}.",
}

_CLAIM_EN = (
    Paragraph("{holder} owns the copyright in the work “{work}”, created on {creation_date} by {authors}. The "
              "copyright is not registered: it subsists under the law of {country_name} without registration.",
              ("creation_date", "authors")),
    Paragraph("The links listed below contain the work, or copy it, without {holder}'s consent: {links}", ("links",)),
    Paragraph("I confirm that the information in this statement is true and accurate, and that I am authorised "
              "to make it for {holder}.", ("signatory",)),
)  # fmt: skip
_CLAIM_ZH = (
    Paragraph("{holder}对作品《{work}》享有著作权。该作品由{authors}于{creation_date}创作。该著作权未经登记，"
              "依据{country_name}法律自动产生。", ("creation_date", "authors")),
    Paragraph("下列链接未经{holder}同意，包含或复制了该作品：{links}", ("links",)),
    Paragraph("本人确认本声明所述信息真实、准确，且本人有权代表{holder}作出本声明。", ("signatory",)),
)  # fmt: skip
_LETTER_EN = (
    Paragraph("{holder}, of {holder_address}, authorises {firm} to act for it in enforcing its intellectual "
              "property rights on {platforms}: to file, follow and withdraw complaints and takedown requests, to "
              "receive and answer the platforms' questions, and to write to sellers for it.", ("holder_address",)),
    Paragraph("This authorisation is valid from {today} until {expiry}, unless withdrawn in writing before then.",
              ("expiry",)),
    Paragraph("Signed for {holder} by {signatory}, {signatory_title}, who is authorised to sign it.",
              ("signatory", "signatory_title")),
)  # fmt: skip
_LETTER_ZH = (
    Paragraph("{holder}（地址：{holder_address}）授权{firm}代表其在{platforms}维护其知识产权，包括提交、跟进及撤回投诉"
              "和删除请求，接收并答复平台的问询，以及代表其致函卖家。", ("holder_address",)),
    Paragraph("本授权自{today}起至{expiry}止有效，但在此之前以书面形式撤回的除外。", ("expiry",)),
    Paragraph("由{signatory}（{signatory_title}）代表{holder}签署，其有权签署本授权书。",
              ("signatory", "signatory_title")),
)  # fmt: skip

_TEST_BUY_EN = (
    Paragraph("{holder} made a test purchase to check whether the product offered in the listing below infringes "
              "its rights."),
    Paragraph("Order {order_number} was placed on {order_date} for {amount}, under the name {purchaser_alias}, from "
              "the store {store}: {listing_url}"),
    Paragraph("The parcel was received on {received_on}. {examiner} examined the product on {examined_on} by this "
              "method: {method}", ("received_on", "examiner", "examined_on", "method")),
    Paragraph("Result: {result}. Reasons: {reasons}", ("result", "reasons")),
    Paragraph("The order record and photographs of what arrived are filed in matter {matter} (exhibit numbers "
              "{exhibits}).",
              ("exhibits",)),
    Paragraph("I confirm, for {holder}, that this report is accurate.", ("signatory",)),
)  # fmt: skip
_TEST_BUY_ZH = (
    Paragraph("{holder}进行了测试购买，以核实下列链接所售商品是否侵犯其权利。"),
    Paragraph("订单{order_number}于{order_date}下单，金额{amount}，购买人名称{purchaser_alias}，卖家店铺{store}：{listing_url}"),
    Paragraph("包裹于{received_on}签收。{examiner}于{examined_on}对商品进行了检验，检验方法：{method}",
              ("received_on", "examiner", "examined_on", "method")),
    Paragraph("结论：{result}。理由：{reasons}", ("result", "reasons")),
    Paragraph("订单记录及收货照片为案件{matter}的证据{exhibits}。", ("exhibits",)),
    Paragraph("本人代表{holder}确认本报告内容准确。", ("signatory",)),
)  # fmt: skip

TEMPLATES: dict[tuple[str, str], StatementTemplate] = {
    (WITNESS_STATEMENT, ENGLISH): StatementTemplate(
        WITNESS_STATEMENT, ENGLISH, "Witness statement of {signatory} on the ownership of copyright in “{work}”", _WS,
        confirmation="I have read the statement and I confirm the statement of truth, knowing that proceedings for "
        "contempt of court may be brought against anyone who makes a false statement verified by it.",
        signature_label="Signed",
    ),
    (COPYRIGHT_CLAIM_STATEMENT, ENGLISH): StatementTemplate(
        COPYRIGHT_CLAIM_STATEMENT, ENGLISH, "Copyright Claim Statement: {work}", _CLAIM_EN,
        confirmation="I have read the statement and confirm that it is true and that I may make it for the rights "
        "holder.", signature_label="Signed",
    ),
    (COPYRIGHT_CLAIM_STATEMENT, CHINESE): StatementTemplate(
        COPYRIGHT_CLAIM_STATEMENT, CHINESE, "著作权权属声明：《{work}》", _CLAIM_ZH, confirmation="",
        signature_label="签署",
    ),
    (LETTER_OF_AUTHORISATION, ENGLISH): StatementTemplate(
        LETTER_OF_AUTHORISATION, ENGLISH, "Letter of authorisation", _LETTER_EN,
        confirmation="I have read the letter and I am authorised to sign it for the rights holder.",
        signature_label="Signed",
    ),
    (TEST_BUY_REPORT, ENGLISH): StatementTemplate(
        TEST_BUY_REPORT, ENGLISH, "Test-buy report: order {order_number}", _TEST_BUY_EN,
        confirmation="I have read the report and confirm, for the rights holder, that it is accurate.",
        signature_label="Signed",
    ),
    (TEST_BUY_REPORT, CHINESE): StatementTemplate(
        TEST_BUY_REPORT, CHINESE, "测试购买报告：订单{order_number}", _TEST_BUY_ZH, confirmation="",
        signature_label="签署",
    ),
    (LETTER_OF_AUTHORISATION, CHINESE): StatementTemplate(
        LETTER_OF_AUTHORISATION, CHINESE, "授权委托书", _LETTER_ZH, confirmation="", signature_label="签署",
    ),
}  # fmt: skip

# A test purchase's examination result as each language of the test-buy report writes it.
RESULT_WORDS = {
    ENGLISH: {"counterfeit": "Counterfeit", "genuine": "Genuine", "inconclusive": "Inconclusive"},
    CHINESE: {"counterfeit": "假冒", "genuine": "正品", "inconclusive": "无法确定"},
}

# The readiness rules each kind satisfies once signed, and the ownership document type it becomes.
RULE_KINDS = {
    "gb.copyright.statement": WITNESS_STATEMENT,
    "gb.copyright.ipp_claim_statement": COPYRIGHT_CLAIM_STATEMENT,
    "holder.power_of_attorney": LETTER_OF_AUTHORISATION,
}
DOCUMENT_TYPES = {
    WITNESS_STATEMENT: "witness_statement",
    COPYRIGHT_CLAIM_STATEMENT: "copyright_claim_statement",
    LETTER_OF_AUTHORISATION: "power_of_attorney",
}
KIND_LABELS = {
    TEST_BUY_REPORT: "Test-buy report for the rights holder's signature",
    WITNESS_STATEMENT: "Witness statement of copyright ownership",
    COPYRIGHT_CLAIM_STATEMENT: "IPP Copyright Claim Statement",
    LETTER_OF_AUTHORISATION: "Letter of authorisation for the firm",
}
# Firm practice, not a legal rule: how long a letter of authorisation runs unless the firm sets another date.
AUTHORISATION_YEARS = 2

# The words a missing fact is listed by on the draft's page.
FACT_NAMES = {
    "signatory": "a member of the rights holder with signing authority (set on their membership)",
    "signatory_title": "the signatory's title (on their membership)",
    "holder_address": "the rights holder's address",
    "creation_date": "the date the work was created",
    "authors": "the author(s) of the work",
    "ownership": "how the company came to own the work (the right's authorship)",
    "title_exhibits": "the documents proving the chain of title (employment evidence or a signed assignment)",
    "creation_exhibits": "dated creation evidence (drafts, sketches, design files)",
    "publication_date": "the date of first publication",
    "publication_place": "the place of first publication",
    "links": "the listings of the matter that contain the work",
    "expiry": "an expiry date",
    "received_on": "the day the parcel was received",
    "examiner": "who examined the product",
    "examined_on": "the day it was examined",
    "method": "how it was examined",
    "result": "the result of the examination",
    "reasons": "the reasons for the result",
    "exhibits": "the order record or photographs of what arrived, as exhibits of the purchase",
}


SELLER_NOTICE = "seller_notice"  # the review key of the notices' wording


def template_key(kind: str) -> str:
    """The key a review of this kind's wording is recorded under (notices use ``SELLER_NOTICE``)."""
    return f"statement:{kind}"


def current_digest(template: str, language: str) -> str:
    """The fingerprint a review of ``template`` in ``language`` must carry to count today."""
    if template == SELLER_NOTICE:
        return wording_digest(language)
    return template_digest(template.removeprefix("statement:"), language)


def reviewable_texts() -> list[tuple[str, str]]:
    """Every (template key, language) a review may be recorded for."""
    notices = [(SELLER_NOTICE, language) for language in (ENGLISH, CHINESE)]
    return notices + [(template_key(kind), language) for kind, language in TEMPLATES]


def template_digest(kind: str, language: str) -> str:
    template = TEMPLATES[(kind, language)]
    text = json.dumps(
        [template.title, [[p.text, p.needs] for p in template.paragraphs], template.confirmation,
         OWNERSHIP_SENTENCES if kind == WITNESS_STATEMENT else {},
         RESULT_WORDS.get(language, {}) if kind == TEST_BUY_REPORT else {}],
        ensure_ascii=False,
    )  # fmt: skip
    return hashlib.sha256(text.encode()).hexdigest()


def languages_for(kind: str, platforms: set[str]) -> tuple[str, ...]:
    """The notices' rule (English, with Simplified Chinese beside it for a Chinese platform), limited to the
    languages the kind has a text in."""
    return tuple(language for language in notice_languages(platforms) if (kind, language) in TEMPLATES)
