class BundleError(Exception):
    """A compile failure a person can act on; its message is shown to them as it is."""


class BundleNotReady(BundleError):
    """The matter lacks what the platform needs (``missing``, in words); staff may overrule with a reason."""

    def __init__(self, reference: str, platform_label: str, missing: list[str]):
        self.missing = missing
        super().__init__(
            f"{reference} is not ready for {platform_label}: "
            + "; ".join(item.rstrip(".") for item in missing)
            + ". Provide what is missing, or compile anyway with your reason for overruling."
        )
