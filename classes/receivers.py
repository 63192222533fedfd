"""What classes do when something happens elsewhere."""

from django.contrib import messages
from django.utils.translation import ngettext

from .models import ClassInvitation


def tell_of_invitations(sender, request, user, **kwargs):
    """On login, tell the person which classes are waiting for their answer."""
    count = ClassInvitation.objects.filter(
        user=user, status=ClassInvitation.Status.PENDING
    ).count()
    if not count or request is None:
        return
    messages.info(
        request,
        ngettext(
            "A class has invited you to join it.",
            "%(count)d classes have invited you to join them.",
            count,
        )
        % {"count": count},
        extra_tags="invitations",
        fail_silently=True,
    )
