from django import template

from certificates.selectors import certificate_for_course

register = template.Library()


@register.simple_tag(takes_context=True)
def course_certificate(context, course):
    """Return the signed-in learner's latest certificate for the course, if any."""
    request = context.get("request")
    if request is None:
        return None
    return certificate_for_course(user=request.user, course=course)
