"""Labels for the fields of Wagtail's admin forms that Wagtail leaves without
one, so Django makes it from the field's name, in English, past any catalogue:
“Link text” in the rich text's link choosers."""

from django.utils.translation import gettext_lazy as _

LABELS = {
    "link_text": _("Link text"),
    "email_address": _("Email address"),
    "subject": _("Subject"),
    "body": _("Body"),
    "phone_number": _("Phone number"),
}


def label_wagtail_forms() -> None:
    """Give the link choosers' fields translatable labels."""
    from wagtail.admin.forms import choosers

    for form in (
        choosers.ExternalLinkChooserForm,
        choosers.AnchorLinkChooserForm,
        choosers.EmailLinkChooserForm,
        choosers.PhoneLinkChooserForm,
    ):
        for name, field in form.base_fields.items():
            if field.label is None and name in LABELS:
                field.label = LABELS[name]
