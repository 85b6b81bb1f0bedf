"""Every write of the portal app, one module per job; this package's names are what the rest of the code calls.

- ``bundle_requests``: a compile request, its inputs digest, sending it to a worker, the sweep;
- ``bundle_runs``: claiming a bundle, the heartbeat, progress, release and failure;
- ``bundle_compile``: building, signing and storing a claimed bundle;
- ``bundle_notify``: the bundle-ready e-mail;
- ``filings``: filings with the platforms and their answers.
"""

from portal.bundle.errors import BundleError
from portal.services.bundle_compile import CompileOutcome, TransientStorageError, bundle_compile
from portal.services.bundle_notify import bundle_ready_notify
from portal.services.bundle_requests import bundle_dispatch, bundle_inputs_digest, bundle_request, bundle_sweep
from portal.services.bundle_runs import bundle_claim, bundle_fail, bundle_heartbeat, bundle_progress, bundle_release
from portal.services.filings import listing_outcome_record, submission_record

__all__ = [
    "BundleError",
    "CompileOutcome",
    "TransientStorageError",
    "bundle_claim",
    "bundle_compile",
    "bundle_dispatch",
    "bundle_fail",
    "bundle_heartbeat",
    "bundle_inputs_digest",
    "bundle_progress",
    "bundle_ready_notify",
    "bundle_release",
    "bundle_request",
    "bundle_sweep",
    "listing_outcome_record",
    "submission_record",
]
