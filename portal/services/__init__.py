"""Every write of the portal app, one module per job; this package's names are what the rest of the code calls.

- ``bundle_requests``: a compile request and its inputs digest (sent to a worker by ``ownership.shared.jobs``);
- ``bundle_runs``: a compile run's progress;
- ``bundle_compile``: building, signing and storing a claimed bundle, or failing it;
- ``bundle_notify``: the bundle-ready e-mail;
- ``filings``: filings with the platforms and their answers.
"""

from portal.bundle.errors import BundleError
from portal.services.bundle_compile import CompileOutcome, TransientStorageError, bundle_compile, bundle_fail
from portal.services.bundle_notify import bundle_ready_notify
from portal.services.bundle_requests import bundle_inputs_digest, bundle_request
from portal.services.bundle_runs import bundle_progress
from portal.services.filings import submission_answers_record, submission_record

__all__ = [
    "BundleError",
    "CompileOutcome",
    "TransientStorageError",
    "bundle_compile",
    "bundle_fail",
    "bundle_inputs_digest",
    "bundle_progress",
    "bundle_ready_notify",
    "bundle_request",
    "submission_answers_record",
    "submission_record",
]
