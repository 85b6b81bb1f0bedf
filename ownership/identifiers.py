"""Registration numbers and classes: parse what staff type, refuse what cannot be right, keep one canonical form.

Every parser takes the text as typed and returns the canonical form, or raises ``ValueError`` whose message
says, in words a paralegal understands, what is wrong and what the number should look like.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# US Copyright Office registration classes. The "u" classes are unpublished works.
US_COPYRIGHT_CLASSES = ("TXu", "TX", "VAu", "VA", "PAu", "PA", "SRu", "SR", "RE")
# The Office's catalogue writes the class and the number as 12 characters: VA0002123456, VAu001234567.
US_COPYRIGHT_WIDTH = 12

_US_COPYRIGHT = re.compile(
    r"^(?P<cls>TXu|TX|VAu|VA|PAu|PA|SRu|SR|RE)\s*(?P<number>\d{1,3}(?:[-,\s]\d{3})+|\d+)$", re.IGNORECASE
)
_CN_WORK = re.compile(
    r"^(?P<region>[\u4e00-\u9fff]{1,3})作登字\s*-\s*(?P<year>\d{4})\s*-\s*(?P<cat>[A-Za-z])\s*-\s*(?P<serial>\d{8})$"
)
_CN_SOFTWARE_CERTIFICATE = re.compile(r"^软著登字第\s*(?P<serial>\d{6,8})\s*号$")
_CN_SOFTWARE_REGISTRATION = re.compile(r"^(?P<year>\d{4})\s*SR\s*(?P<serial>\d{6,7})$", re.IGNORECASE)
_DIGITS = re.compile(r"^\d+$")

NICE_CLASSES = range(1, 46)


def _squash(value: str) -> str:
    return re.sub(r"\s+", " ", (value or "").strip())


def us_copyright_registration(value: str) -> str:
    """``VA 2-123-456``, ``VA0002123456``, ``vau 1-234-567`` → ``VA0002123456`` / ``VAu001234567``."""
    match = _US_COPYRIGHT.match(_squash(value))
    if not match:
        raise ValueError(
            "A US copyright registration number is a class (TX, TXu, VA, VAu, PA, PAu, SR, SRu or RE) "
            "followed by the number, e.g. VA 2-123-456 or VA0002123456."
        )
    cls = next(c for c in US_COPYRIGHT_CLASSES if c.lower() == match["cls"].lower())
    digits = re.sub(r"\D", "", match["number"]).lstrip("0")
    width = US_COPYRIGHT_WIDTH - len(cls)
    if not digits or len(digits) > width:
        raise ValueError(f"The number after {cls} must be 1 to {width} digits and not zero.")
    return f"{cls}{digits.zfill(width)}"


def us_copyright_display(canonical: str) -> str:
    """``VA0002123456`` → ``VA 2-123-456``, as printed on certificates."""
    cls = next(c for c in US_COPYRIGHT_CLASSES if canonical.startswith(c))
    return f"{cls} {int(canonical[len(cls) :]):,}".replace(",", "-")


def cn_copyright_registration(value: str) -> str:
    """A CPC work number (``国作登字-2021-F-00268255``) or a software number (``2016SR172900``)."""
    text = _squash(value)
    if match := _CN_WORK.match(text):
        return f"{match['region']}作登字-{match['year']}-{match['cat'].upper()}-{match['serial']}"
    if match := _CN_SOFTWARE_REGISTRATION.match(text):
        return f"{match['year']}SR{match['serial']}"
    raise ValueError(
        "A Chinese copyright registration number looks like 国作登字-2021-F-00268255 (region, year, category "
        "letter, 8-digit serial) or, for software, 2016SR172900."
    )


def is_cn_software_registration(canonical: str) -> bool:
    return bool(_CN_SOFTWARE_REGISTRATION.match(canonical))


def cn_software_certificate(value: str) -> str:
    """``软著登字第1234567号`` (the certificate number of a software registration)."""
    match = _CN_SOFTWARE_CERTIFICATE.match(_squash(value))
    if not match:
        raise ValueError("A software copyright certificate number looks like 软著登字第1234567号.")
    return f"软著登字第{match['serial']}号"


def _plain_number(value: str, *, name: str, example: str, min_digits: int, max_digits: int, strip: str = "") -> str:
    text = re.sub(r"[\s,.]", "", _squash(value))
    if strip and text.upper().startswith(strip):
        text = text[len(strip) :]
    if not _DIGITS.match(text) or not (min_digits <= len(text) <= max_digits):
        raise ValueError(f"A {name} is {min_digits} to {max_digits} digits, e.g. {example}.")
    return text


def us_trademark_registration(value: str) -> str:
    """USPTO registration number, e.g. ``7,123,456`` → ``7123456``."""
    return _plain_number(value, name="USPTO registration number", example="7,123,456", min_digits=1, max_digits=8)


def cn_trademark_registration(value: str) -> str:
    """CNIPA (China Trademark Office) registration number, e.g. ``41234567``."""
    return _plain_number(
        value, name="CNIPA trade mark registration number", example="41234567", min_digits=5, max_digits=9
    )


def gb_trademark_registration(value: str) -> str:
    """UKIPO number, e.g. ``UK00003456789``: stored as ``UK`` and 11 digits."""
    digits = _plain_number(
        value, name="UK trade mark number", example="UK00003456789", min_digits=1, max_digits=11, strip="UK"
    )
    return f"UK{digits.zfill(11)}"


def eu_trademark_registration(value: str) -> str:
    """EUIPO number, e.g. ``018123456`` (9 digits, leading zeros kept)."""
    digits = _plain_number(
        value, name="EU trade mark number", example="018123456", min_digits=1, max_digits=9, strip="EUTM"
    )
    return digits.zfill(9)


def wipo_registration(value: str) -> str:
    """WIPO (Madrid) international registration number, e.g. ``1234567``."""
    return _plain_number(
        value, name="WIPO international registration number", example="1234567", min_digits=6, max_digits=7
    )


def nice_classes(value: Iterable[int | str] | str) -> list[int]:
    """``"9, 11"`` or ``[11, 9]`` → ``[9, 11]``; every class must be 1 to 45."""
    parts = re.split(r"[\s,;]+", value.strip()) if isinstance(value, str) else list(value)
    classes = set()
    for part in parts:
        if part in ("", None):
            continue
        try:
            number = int(part)
        except (TypeError, ValueError):
            raise ValueError(f"{part!r} is not a class number: Nice classes are numbers from 1 to 45.") from None
        if number not in NICE_CLASSES:
            raise ValueError(f"Class {number} does not exist: Nice classes are numbered 1 to 45.")
        classes.add(number)
    return sorted(classes)


def country_codes(value: Iterable[str] | str) -> list[str]:
    """``"cn, us"`` → ``["CN", "US"]`` (two-letter ISO codes)."""
    parts = re.split(r"[\s,;]+", value.strip()) if isinstance(value, str) else list(value)
    codes = set()
    for part in parts:
        code = (part or "").strip().upper()
        if not code:
            continue
        if not re.fullmatch(r"[A-Z]{2}", code):
            raise ValueError(f"{part!r} is not a two-letter country code such as CN or US.")
        codes.add(code)
    return sorted(codes)
