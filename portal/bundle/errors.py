class BundleError(Exception):
    """A compile failure a person can act on; its message is shown to them as it is."""
