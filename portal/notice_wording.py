"""The wording of notices to sellers (cease-and-desist / takedown demands), as data, one text per language.

Source and status of the text: drafted by the portal's engineers as a plain-language demand letter, modelled on
the remedies a rights holder usually asks a seller for (stop selling, remove listings, deliver up or destroy
stock, account of sales, undertakings). The Simplified Chinese text was written by the same engineers beside
the English: it is neither machine translation nor a reviewed translation. Neither text has been reviewed by a
qualified lawyer or translator in this repository. That is why the portal refuses to use a text until a firm
member with the ``portal.review_notice_wording`` permission records a review of exactly that text
(``WordingReview``, keyed by :func:`wording_digest`): changing a single character here asks for a new review.

Placeholders, filled by ``portal.services.notices``: {holder}, {stores}, {deadline}, {firm}, {signer} and {role}
(the member who signs), and in the sentences that state each right: {kind}, {title}, {country}, {number},
{date}, {authors}.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from dataclasses import asdict, dataclass

from ownership.shared.choices import CHINESE_PLATFORMS

ENGLISH, CHINESE = "en", "zh-Hans"
LANGUAGE_NAMES = {ENGLISH: "English", CHINESE: "Simplified Chinese"}

# Firm practice, not a legal rule: the days a seller is given to comply, unless staff choose another date.
DEFAULT_DEADLINE_DAYS = 14


@dataclass(frozen=True)
class NoticeWording:
    title: str
    opening: str  # who we act for
    rights_heading: str
    listings_heading: str
    infringement: str  # the listings infringe; no authorisation
    demands_heading: str
    demands: tuple[str, ...]
    deadline: str
    reservation: str
    sign_off: str
    stores_joiner: str
    covering_note: str  # the e-mail's body, above the attached signed notice
    # Each right stated as a sentence: its kind's name, then the registered or unregistered form, with the
    # clauses for what is recorded (a date, the authors) added where they are.
    kinds: dict[str, str]
    right_registered: str
    registered_on: str
    right_unregistered: str
    created_on: str
    created_by: str
    full_stop: str


WORDING: dict[str, NoticeWording] = {
    ENGLISH: NoticeWording(
        title="Notice of infringement and demand to stop",
        opening='We act for {holder} ("our client") in respect of the intellectual property rights listed below.',
        rights_heading="Our client's rights",
        listings_heading="The listings",
        infringement="The listings below, offered by {stores}, offer products that infringe those rights. "
        "Our client has not authorised them.",
        demands_heading="Our client requires you to:",
        demands=(
            "stop offering, selling, advertising and importing the infringing products at once;",
            "remove the listings above and every other listing of such products;",
            "deliver up to us, or destroy and confirm in writing that you have destroyed, all stock of such "
            "products in your possession or control;",
            "give a written account of the quantities sold, the prices charged and your suppliers of such products;",
            "give a written undertaking, signed by the operator of each store, not to infringe our client's "
            "rights again.",
        ),
        deadline="Please confirm in writing by {deadline} that you have done so.",
        reservation="Our client reserves all its rights and remedies.",
        sign_off="Signed by {signer}, {role}, for {firm}, on behalf of {holder}.",
        stores_joiner=", ",
        covering_note="Please find attached our notice of infringement and demand to stop, sent for {holder} "
        "and signed by {firm}. Please reply to this e-mail by {deadline}.",
        kinds={"trademark": "Trade mark", "copyright": "Copyright", "design": "Design", "patent": "Patent"},
        right_registered="{kind} “{title}”, registered in {country} under number {number}",
        registered_on=" on {date}",
        right_unregistered="{kind} in “{title}”, which subsists in {country} without registration",
        created_on="; the work was created on {date}",
        created_by=" by {authors}",
        full_stop=".",
    ),
    CHINESE: NoticeWording(
        title="侵权通知及停止侵权要求函",
        opening="本所代表{holder}（“我方客户”）就下列知识产权发出本函。",
        rights_heading="我方客户的权利",
        listings_heading="涉案链接",
        infringement="{stores}发布的下列商品链接所售商品侵犯上述权利，且未经我方客户授权。",
        demands_heading="我方客户要求贵方：",
        demands=(
            "立即停止许诺销售、销售、宣传及进口侵权商品；",
            "删除上述链接及其他所有销售该类商品的链接；",
            "向本所交付，或销毁并书面确认已销毁贵方占有或控制的全部该类商品库存；",
            "书面说明该类商品的销售数量、售价及供货来源；",
            "由各店铺经营者签署书面承诺，保证今后不再侵犯我方客户的权利。",
        ),
        deadline="请于{deadline}前书面确认贵方已履行上述要求。",
        reservation="我方客户保留其全部权利及救济。",
        sign_off="{firm}代表{holder}，由{signer}（{role}）签署。",
        stores_joiner="、",
        covering_note="随函附上{firm}代表{holder}签署的侵权通知及停止侵权要求函，请于{deadline}前回复本邮件。",
        kinds={"trademark": "商标", "copyright": "著作权", "design": "外观设计", "patent": "专利"},
        right_registered="{country}{kind}“{title}”，注册号{number}",
        registered_on="，注册日期{date}",
        right_unregistered="{country}{kind}“{title}”，未经登记依法自动产生",
        created_on="，作品创作于{date}",
        created_by="，作者{authors}",
        full_stop="。",
    ),
}

# UK law on threats: a communication that a reasonable person would understand as threatening infringement
# proceedings over a UK trade mark, registered design or UK unregistered design may be actionable, unless it is
# a permitted communication or made to a primary actor (manufacturer or importer). Source: Intellectual
# Property (Unjustified Threats) Act 2017, inserting ss.21-21F into the Trade Marks Act 1994, ss.26-26F into
# the Registered Designs Act 1949 and ss.253-253E into the CDPA 1988. Copyright is not covered.
THREATS_WARNING_KINDS = frozenset({"trademark", "design"})
THREATS_WARNING = (
    "UK unjustified-threats rules apply to UK trade marks and designs (Trade Marks Act 1994 ss.21-21F; "
    "Registered Designs Act 1949 ss.26-26F; CDPA 1988 ss.253-253E). Check that each store is a primary actor "
    "(manufacturer or importer) or that the notice is a permitted communication before sending."
)


def wording_digest(language: str) -> str:
    """SHA-256 of a language's whole text: what a review approves, so an edited text needs a new review."""
    text = json.dumps(asdict(WORDING[language]), ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()


def languages_for(platforms: set[str]) -> tuple[str, ...]:
    """English always; Simplified Chinese beside it when any addressed store sells on a Chinese platform."""
    return (ENGLISH, CHINESE) if platforms & {str(p) for p in CHINESE_PLATFORMS} else (ENGLISH,)


def deadline_text(day: datetime.date, language: str) -> str:
    return f"{day.year}年{day.month}月{day.day}日" if language == CHINESE else f"{day.day} {day:%B %Y}"


def threats_warning(rights: list[tuple[str, str]]) -> str:
    """The warning for staff when a right is a UK trade mark or design; ``rights`` are (kind, jurisdiction)."""
    at_risk = any(kind in THREATS_WARNING_KINDS and jurisdiction == "GB" for kind, jurisdiction in rights)
    return THREATS_WARNING if at_risk else ""
