"""The firm's letterhead, from settings: what a notice to a seller is printed on, and what it still lacks.

A solicitor's letter names the firm, where and how to reach it, and who regulates it. In England and Wales, SRA
Transparency Rules r.4.2 (sra.org.uk, SRA Transparency Rules, rule 4): "An authorised body's letterhead and
e-mails must show its SRA authorisation number and the words 'authorised and regulated by the Solicitors
Regulation Authority'". Other regulators have their own rules, so the words and number are the firm's settings.
The portal prints what the firm sets and refuses a notice while the address, a way to reach the firm or the
regulator is missing.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

# What stands in when DEBUG is on and the firm set nothing: plainly a demo, never mistaken for a real firm.
DEMO = {
    "address": "1 Example Street, London EC1A 1AA (demonstration address)",
    "telephone": "+44 20 7946 0000 (demonstration number)",
    "email": "notices@harcourt-vale.example",
    "regulator": "DEMONSTRATION LETTERHEAD: not a real firm and not regulated",
    "regulator_number": "",
}
SETTINGS = {
    "address": "PORTAL_FIRM_ADDRESS",
    "telephone": "PORTAL_FIRM_TELEPHONE",
    "email": "PORTAL_FIRM_EMAIL",
    "regulator": "PORTAL_FIRM_REGULATOR",
    "regulator_number": "PORTAL_FIRM_REGULATOR_NUMBER",
}


@dataclass(frozen=True)
class Letterhead:
    firm: str
    address: str
    telephone: str
    email: str
    regulator: str
    regulator_number: str

    @property
    def lines(self) -> tuple[str, ...]:
        """The letterhead as printed under the firm's name."""
        reach = (self.telephone and f"Tel. {self.telephone}", self.email and f"E-mail {self.email}")
        contact = " · ".join(part for part in reach if part)
        regulated = ", ".join(part for part in (self.regulator, self.regulator_number) if part)
        return tuple(line for line in (self.address, contact, regulated) if line)

    @property
    def missing(self) -> list[str]:
        """The settings a notice needs that are not set: the address, a telephone or e-mail, the regulator."""
        gaps = [] if self.address else [SETTINGS["address"]]
        if not (self.telephone or self.email):
            gaps.append(f"{SETTINGS['telephone']} or {SETTINGS['email']}")
        return gaps + ([] if self.regulator else [SETTINGS["regulator"]])


def letterhead() -> Letterhead:
    """The firm's letterhead; the demo's when DEBUG is on and none of it is set."""
    values = {field: getattr(settings, name) for field, name in SETTINGS.items()}
    if settings.DEBUG and not any(values.values()):
        values = DEMO
    return Letterhead(firm=settings.PORTAL_FIRM_NAME, **values)
