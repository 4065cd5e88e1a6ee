from django.conf import settings
from django.http import HttpRequest


def council(request: HttpRequest) -> dict[str, str]:
    """The council's name for the header, and the service name for page titles."""
    return {
        "council_name": settings.COUNCIL_NAME,
        "service_name": f"{settings.COUNCIL_NAME} Protocol Portal",
    }
