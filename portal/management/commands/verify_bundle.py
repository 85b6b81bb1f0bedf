"""The name this check had when only bundles could be verified: ``verify_document`` under its old name."""

from portal.management.commands.verify_document import Command as VerifyDocument


class Command(VerifyDocument):
    help = "Another name for verify_document: " + VerifyDocument.help
