"""The complaint bundle: inputs as plain dataclasses, PDF building, signing and verification. No ORM here."""
