"""Every uploaded file: the policy (``allowed``, ``policy``, ``checks`` and the format helpers) and hashed storage."""
