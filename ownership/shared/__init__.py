"""The shared layer: what every app needs and none of them owns.

Users and the access predicates, the file policy and hashed storage, SHA-256 checksums, the hash chain
behind the append-only logs, and the choice lists every layer shares (platforms, member roles). Nothing
here imports the rest of the project: an import-linter contract in ``pyproject.toml`` holds that.
"""
