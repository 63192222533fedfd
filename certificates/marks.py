"""The seals and signatures printed on certificates, kept apart from the
pictures of lessons.

They live in their own Wagtail collection (``MARKS_COLLECTION``), which the
certificate template's seal and signature fields choose from through a chooser
of their own (``marks_chooser``); every other image chooser, the lessons' among
them, leaves that collection out (``certificates.wagtail_hooks``), so an editor
cannot put a seal into a lesson as a screenshot.
"""

from django.db import transaction
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.images import get_image_model
from wagtail.images.views.chooser import (
    ImageChooseResultsView,
    ImageChooserViewSet,
    ImageChooseView,
    ImageUploadView,
)
from wagtail.images.widgets import AdminImageChooser
from wagtail.models import Collection

MARKS_COLLECTION = "Con dấu và chữ ký"
# The URL namespace of the seal and signature chooser.
MARKS_CHOOSER = "certificate_marks_chooser"
# The template's fields that hold a seal or a signature.
MARK_FIELDS = ("seal", "signature")


def marks_collection() -> Collection:
    """Return the collection of seals and signatures, made under the root
    collection if missing."""
    root = Collection.get_first_root_node()
    collection = root.get_children().filter(name=MARKS_COLLECTION).first()
    if collection is None:
        collection = root.add_child(name=MARKS_COLLECTION)
    return collection


@transaction.atomic
def certificate_marks_collect(*, template) -> int:
    """Move the template's seal and signature into the seals' collection and
    return how many moved."""
    ids = [getattr(template, f"{field}_id") for field in MARK_FIELDS]
    collection = marks_collection()
    return (
        get_image_model()
        .objects.filter(pk__in=[pk for pk in ids if pk])
        .exclude(collection=collection)
        .update(collection=collection)
    )


def is_marks_chooser(request) -> bool:
    """Whether the request is one of the seal and signature chooser's."""
    match = getattr(request, "resolver_match", None)
    return match is not None and MARKS_CHOOSER in match.namespaces


class _UploadIntoMarks:
    """A picture uploaded from this chooser goes into the seals' collection."""

    @cached_property
    def _marks(self):
        return marks_collection()

    def get_creation_form_kwargs(self):
        kwargs = super().get_creation_form_kwargs()
        kwargs["initial"] = {**kwargs.get("initial", {}), "collection": self._marks}
        return kwargs


class MarksChooseView(_UploadIntoMarks, ImageChooseView):
    pass


class MarksChooseResultsView(_UploadIntoMarks, ImageChooseResultsView):
    pass


class MarksUploadView(_UploadIntoMarks, ImageUploadView):
    pass


class MarksChooserViewSet(ImageChooserViewSet):
    choose_view_class = MarksChooseView
    choose_results_view_class = MarksChooseResultsView
    create_view_class = MarksUploadView
    choose_one_text = _("Choose a seal or signature")
    choose_another_text = _("Choose another seal or signature")


marks_chooser = MarksChooserViewSet(
    MARKS_CHOOSER,
    model=get_image_model(),
    url_prefix="certificates/marks-chooser",
)


class MarksChooser(AdminImageChooser):
    """The image chooser of a template's seal and signature."""

    chooser_modal_url_name = f"{MARKS_CHOOSER}:choose"
    choose_one_text = _("Choose a seal or signature")
    choose_another_text = _("Change the seal or signature")
