"""The ownership app's choice lists (document types, jurisdictions, right statuses).

A leaf module: it imports nothing of the project, so models, rules and schemas can all use it.
"""

from django.db import models


class DocumentType(models.TextChoices):
    REGISTRATION_CERTIFICATE = "registration_certificate", "Registration certificate"
    CERTIFICATE_PAGES = "certificate_pages", "Class or goods pages, or pages showing the work"
    RENEWAL_RECORD = "renewal_record", "Renewal record"
    CHANGE_OF_NAME_RECORD = "change_of_name_record", "Change-of-name record"
    ASSIGNMENT_RECORD = "assignment_record", "Recorded assignment (registry record)"
    EMPLOYMENT_EVIDENCE = "employment_evidence", "Employment evidence (contract, payslip, job description)"
    SIGNED_ASSIGNMENT = "signed_assignment", "Assignment signed by the assignor"
    CREATION_EVIDENCE = "creation_evidence", "Dated creation evidence (drafts, sketches, source files)"
    PUBLICATION_EVIDENCE = "publication_evidence", "First-publication evidence"
    WITNESS_STATEMENT = "witness_statement", "Witness statement or statutory declaration"
    COPYRIGHT_CLAIM_STATEMENT = "copyright_claim_statement", "IPP Copyright Claim Statement (unregistered copyright)"
    POWER_OF_ATTORNEY = "power_of_attorney", "Power of attorney / letter of authorisation for the firm"
    IDENTITY_DOCUMENT = "identity_document", "Business licence or identity document"
    TRANSLATION = "translation", "Translation"
    NOTARISATION = "notarisation", "Notarisation or apostille certificate"


LANGUAGES = [
    ("en", "English"),
    ("zh", "Chinese"),
    ("de", "German"),
    ("fr", "French"),
    ("es", "Spanish"),
    ("it", "Italian"),
    ("nl", "Dutch"),
    ("pt", "Portuguese"),
    ("ja", "Japanese"),
    ("ko", "Korean"),
    ("other", "Other"),
]

JURISDICTIONS = {
    "GB": "United Kingdom",
    "US": "United States",
    "CN": "China",
    "EU": "European Union",
    "WO": "International (WIPO, Madrid)",
}

# The same places as Chinese documents name them (the Chinese column of bilingual statements and notices).
JURISDICTIONS_ZH = {
    "GB": "英国",
    "US": "美国",
    "CN": "中国",
    "EU": "欧盟",
    "WO": "国际（世界知识产权组织马德里体系）",
}

COPYRIGHT, TRADEMARK, DESIGN, PATENT = "copyright", "trademark", "design", "patent"


class RightStatus(models.TextChoices):
    REGISTERED = "registered", "Registered, in force"
    UNREGISTERED = "unregistered", "Unregistered, subsists without registration"
    PENDING = "pending", "Application pending"
    LAPSED = "lapsed", "Expired, lapsed or cancelled"


class Authorship(models.TextChoices):
    """How a UK copyright came to the rights holder (Copyright, Designs and Patents Act 1988)."""

    AUTHOR = "author", "The rights holder is the author"
    EMPLOYEE = "employee", "Made by an employee in the course of employment (s.11(2))"
    COMMISSIONED = "commissioned", "Commissioned from someone outside the company"
    ASSIGNED = "assigned", "Assigned to the rights holder in writing (s.90(3))"
