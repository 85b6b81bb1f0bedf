"""The complaint bundle.

``inputs`` (plain frozen dataclasses), ``complaints`` and ``pdf/`` build the PDF and never touch the ORM (an
import-linter contract holds it); ``signing`` signs and checks signatures; ``build`` gathers the inputs from
the database and storage, and ``verify`` checks a file against the issued record.
"""
