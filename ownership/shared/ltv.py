"""Archive timestamps (PAdES B-LTA renewal): keeping a signed PDF verifiable after its last timestamp's
certificate expires.

A B-LTA document ends with a document timestamp. Before that timestamp's certificate expires (or its algorithm
weakens), the revocation data of that timestamp is added and a new document timestamp seals everything again;
each renewal extends the proof by the new authority certificate's lifetime (ETSI EN 319 142-1, 5.5). pyHanko
does the work (``PdfTimeStamper.update_archival_timestamp_chain``); the portal decides when.
"""

from __future__ import annotations

import datetime
from pathlib import Path

from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import signers, timestamps
from pyhanko_certvalidator import ValidationContext

from ownership.shared.signing import SigningError, SigningIdentity, as_asn1, trust_roots


def last_timestamp_expiry(path: Path) -> datetime.datetime | None:
    """When the certificate of the document's last timestamp expires: its last document timestamp, or else its
    signature's timestamp. None for a document with no timestamp (nothing to renew)."""
    with open(path, "rb") as stream:
        reader = PdfFileReader(stream, strict=False)
        stamps = reader.embedded_timestamp_signatures
        if stamps:
            return stamps[-1].signer_cert.not_valid_after
        signatures = reader.embedded_regular_signatures
        token = signatures[-1].attached_timestamp_data if signatures else None
        return token.signer_cert.not_valid_after if token is not None else None


def archive_timestamp_add(source: Path, target: Path, identity: SigningIdentity) -> None:
    """Write to ``target`` the document at ``source`` with the revocation data of its last timestamp and a new
    document timestamp from the configured authority. ``source`` is left as it is."""
    if not identity.tsa_url:
        raise SigningError("Renewing archive timestamps needs a timestamp authority: set PORTAL_TSA_URL.")
    context = ValidationContext(trust_roots=[as_asn1(c) for c in trust_roots(identity)], allow_fetching=True)
    stamper = signers.PdfTimeStamper(timestamps.HTTPTimeStamper(identity.tsa_url, timeout=30))
    with open(source, "rb") as stream, open(target, "wb") as output:
        try:
            stamper.update_archival_timestamp_chain(PdfFileReader(stream), context, in_place=False, output=output)
        except Exception as exc:  # noqa: BLE001 - TSA and validation errors alike: say what failed
            raise SigningError(f"The archive timestamp could not be added: {type(exc).__name__}: {exc}") from None
