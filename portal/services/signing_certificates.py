"""The firm's signing certificate: revoking the one the portal's development CA issued, audited."""

from __future__ import annotations

from typing import Any

from ownership.shared import pki
from ownership.shared.audit import AuditEvent, audit_record


def certificate_revoke(ca: pki.LocalCA, *, reason: pki.Reason, by: Any = None) -> pki.Revocation:
    """Revoke the signing certificate: its CRL lists it, its OCSP answers "revoked", the portal refuses to sign
    with it, and ``/verify/`` refuses what it signed afterwards."""
    entry = pki.revocation_record(ca, reason=reason)
    audit_record(action=AuditEvent.Action.CHANGED, actor=by, object_ref=f"certificate:{entry.serial_number:x}",
                 object_label=f"Signing certificate {entry.subject} revoked ({reason.value})"[:300],
                 changes=["revoked"], nobody="system")  # fmt: skip
    return entry
