from pathlib import PurePath

from csp.decorators import csp_exempt
from django.http import FileResponse, HttpRequest
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_safe

from people.models import Member
from people.photos import photo_content_type


# The photo is a checked PNG or JPEG sent with nosniff, so it is never read as a page; a
# Content-Security-Policy on it would only stop the browser's own viewer (shown when the
# photo is opened on its own) from styling it.
@csp_exempt()
@require_safe
def member_photo(request: HttpRequest, pk: int) -> FileResponse:
    """A councillor's photo, for anyone signed in (LoginRequiredMiddleware): members are
    public figures, and their profile pages show it (003)."""
    member = get_object_or_404(Member.objects.exclude(photo=""), pk=pk)
    response = FileResponse(
        member.photo.open("rb"),
        filename=PurePath(member.photo.name).name,
        content_type=photo_content_type(member.photo.name),
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
