"""What identifies the people behind a store, each kind with its one normal form, and which kinds link stores.

Two sellers are in one network when they share a *strong* identifier (the same phone, e-mail, Unified Social
Credit Code, payment beneficiary or messaging handle). A company name or an address alone only *suggests* a
link, which staff confirm or reject. Each identifier is kept as entered and as a key in its normal form:

- phone numbers in E.164 with Google's libphonenumber (``phonenumbers``), numbers without a country code read
  as Chinese (+86), the country most of these sellers trade from;
- e-mail addresses case-folded whole; dots and ``+`` tags are kept, because providers differ on them;
- messaging handles as given, case-folded (WeChat ids are case-insensitive; QQ numbers are digits);
- company names without legal-form words (有限公司, Co., Ltd., Limited…), in simplified characters
  (OpenCC's traditional-to-simplified table), without spaces or punctuation;
- Unified Social Credit Codes: 18 characters from the code's alphabet with a valid check character, by
  GB 32100-2015 (the national standard for the code);
- addresses and payment beneficiaries with case, width and spacing folded; web domains as host names.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import urlsplit

import phonenumbers
from django.db import models

DEFAULT_PHONE_REGION = "CN"


class IdentifierKind(models.TextChoices):
    PHONE = "phone", "Phone number"
    EMAIL = "email", "E-mail address"
    WECHAT = "wechat", "WeChat id"
    WHATSAPP = "whatsapp", "WhatsApp number"
    QQ = "qq", "QQ number"
    TELEGRAM = "telegram", "Telegram handle"
    COMPANY = "company", "Company name"
    USCC = "uscc", "Unified Social Credit Code"
    BUSINESS_ADDRESS = "business_address", "Business address"
    RETURN_ADDRESS = "return_address", "Return or warehouse address"
    PAYMENT = "payment", "Payment beneficiary"
    DOMAIN = "domain", "Web domain"


STRONG_KINDS = frozenset({
    IdentifierKind.PHONE, IdentifierKind.EMAIL, IdentifierKind.USCC, IdentifierKind.PAYMENT,
    IdentifierKind.WECHAT, IdentifierKind.WHATSAPP, IdentifierKind.QQ, IdentifierKind.TELEGRAM,
})  # fmt: skip
# GB 32100-2015: the code's 31 characters (no I, O, Z, S, V) and the weights of positions 1-17.
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
LEGAL_FORMS = (
    "股份有限公司", "有限责任公司", "有限公司", "集团", "公司",
    "company limited", "co., ltd.", "co.,ltd.", "co. ltd.", "co ltd", "co.", "limited", "ltd.", "ltd", "inc.",
    "inc", "llc", "corporation", "corp.", "corp", "company",
)  # fmt: skip


class InvalidIdentifier(ValueError):
    """A value that is not an identifier of its kind; the message says why, for the form."""


def identifier_key(kind: str, value: str) -> str:
    """The normal form two identifiers of ``kind`` are compared by; InvalidIdentifier when it is not one."""
    text = unicodedata.normalize("NFKC", value or "").strip()
    if not text:
        raise InvalidIdentifier("Enter a value.")
    return _KEYS[kind](text)


def _phone(text: str) -> str:
    raw = "+" + text[2:] if text.startswith("00") else text
    try:
        number = phonenumbers.parse(raw, DEFAULT_PHONE_REGION)
    except phonenumbers.NumberParseException:
        raise InvalidIdentifier(f"“{text}” is not a phone number.") from None
    if not phonenumbers.is_valid_number(number):
        raise InvalidIdentifier(f"“{text}” is not a valid phone number (add the country code, e.g. +86).")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _email(text: str) -> str:
    if not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", text):
        raise InvalidIdentifier(f"“{text}” is not an e-mail address.")
    return text.casefold()


def _handle(text: str) -> str:
    handle = text.removeprefix("@").casefold()
    if not re.fullmatch(r"[\w.+-]{2,64}", handle):
        raise InvalidIdentifier(f"“{text}” is not a messaging handle (letters, digits, . _ + - only).")
    return handle


def _qq(text: str) -> str:
    if not re.fullmatch(r"[1-9]\d{4,11}", text):
        raise InvalidIdentifier(f"“{text}” is not a QQ number (5 to 12 digits).")
    return text


def _company(text: str) -> str:
    from opencc import OpenCC

    name = OpenCC("t2s").convert(text).casefold()
    for form in LEGAL_FORMS:  # Latin forms only as whole words: "inc" must not go from "princeton"
        name = name.replace(form, " ") if not form.isascii() else re.sub(rf"(?<!\w){re.escape(form)}(?!\w)", " ", name)
    key = "".join(re.findall(r"\w+", name))
    if not key:
        raise InvalidIdentifier(f"“{text}” has no name left once its legal form is removed.")
    return key


def _uscc(text: str) -> str:
    code = text.replace(" ", "").upper()
    if len(code) != 18 or any(char not in USCC_ALPHABET for char in code):
        raise InvalidIdentifier(f"“{text}” is not a Unified Social Credit Code (18 letters and digits).")
    total = sum(USCC_ALPHABET.index(char) * weight for char, weight in zip(code, USCC_WEIGHTS, strict=False))
    if USCC_ALPHABET[(31 - total % 31) % 31] != code[17]:
        raise InvalidIdentifier(f"“{text}” is not a valid Unified Social Credit Code: its check character is wrong.")
    return code


def _folded(text: str) -> str:
    return " ".join(text.casefold().split())


def _domain(text: str) -> str:
    host = (urlsplit(text if "//" in text else "//" + text).hostname or "").removeprefix("www.")
    if "." not in host:
        raise InvalidIdentifier(f"“{text}” is not a web domain.")
    return host


_KEYS = {
    IdentifierKind.PHONE: _phone, IdentifierKind.WHATSAPP: _phone, IdentifierKind.EMAIL: _email,
    IdentifierKind.WECHAT: _handle, IdentifierKind.TELEGRAM: _handle, IdentifierKind.QQ: _qq,
    IdentifierKind.COMPANY: _company, IdentifierKind.USCC: _uscc, IdentifierKind.BUSINESS_ADDRESS: _folded,
    IdentifierKind.RETURN_ADDRESS: _folded, IdentifierKind.PAYMENT: _folded, IdentifierKind.DOMAIN: _domain,
}  # fmt: skip
