"""The REST API (Django REST framework): what a user sees in the pages, for their own systems to read.

DRF rather than django-ninja: the portal is plain Django with model-backed querysets already scoped per user,
and DRF brings cursor pagination, per-client throttling and permission classes that take those querysets as
they are; drf-spectacular writes its OpenAPI 3.1 document from the same views.
"""
