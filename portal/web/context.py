from django.conf import settings
from django.http import HttpRequest


def firm(request: HttpRequest) -> dict[str, str]:
    """The firm's name, shown in the header, the page titles and the e-mails."""
    return {"firm_name": settings.PORTAL_FIRM_NAME}
