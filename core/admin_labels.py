"""Labels for what Wagtail's admin shows in English past any catalogue:

- the fields of its forms that Wagtail leaves without a label, so Django makes
  one from the field's name (“Link text” in the rich text's link choosers, the
  page of a workflow or of a group's page permissions);
- the columns of its sites' listing, labelled from the field names;
- the names of permissions, which Django stores in English when it creates them
  (“Can add person”) and the group editor shows as stored
  (``permission_label``, used by templates/wagtailusers/groups/includes/
  formatted_permissions.html and by the page permissions' checkboxes).
"""

from django.contrib.auth import get_permission_codename
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

LABELS = {
    "link_text": _("Link text"),
    "email_address": _("Email address"),
    "subject": _("Subject"),
    "body": _("Body"),
    "phone_number": _("Phone number"),
    "page": _("Page"),
}

# Django's default permissions, named as it names them, in words to translate.
DEFAULT_PERMISSIONS = {
    "add": _("Can add %(name)s"),
    "change": _("Can change %(name)s"),
    "delete": _("Can delete %(name)s"),
    "view": _("Can view %(name)s"),
}


def label_wagtail_forms() -> None:
    """Give the link choosers' and the workflow page form's fields translatable
    labels, and the sites' listing translatable column headings."""
    from wagtail.admin.forms import choosers
    from wagtail.admin.forms.workflows import WorkflowPageForm
    from wagtail.users.forms import PagePermissionsForm

    for form in (
        choosers.ExternalLinkChooserForm,
        choosers.AnchorLinkChooserForm,
        choosers.EmailLinkChooserForm,
        choosers.PhoneLinkChooserForm,
        WorkflowPageForm,
        PagePermissionsForm,
    ):
        for name, field in form.base_fields.items():
            if field.label is None and name in LABELS:
                field.label = LABELS[name]
    # A group's page permissions: each checkbox is named by the permission.
    PagePermissionsForm.base_fields[
        "permissions"
    ].label_from_instance = permission_label
    _label_site_columns()


def _label_site_columns() -> None:
    """The sites' listing labels its port, name and root page columns from the
    field names (“Site name”); label them with the fields' verbose names."""
    from wagtail.models import Site
    from wagtail.sites.views import IndexView

    for column in IndexView.columns:
        if column.label == capfirst(column.name.replace("_", " ")):
            column.label = capfirst(Site._meta.get_field(column.name).verbose_name)


def permission_label(permission) -> str:
    """Return the permission's name in the active language: Django's default
    ones (add, change, delete, view) from the model's verbose name, a model's
    own from its ``Meta.permissions`` (translatable there), any other through
    the catalogues (Wagtail's “Can access Wagtail admin”)."""
    model = permission.content_type.model_class()
    if model is not None:
        options = model._meta
        for action in options.default_permissions:
            if action in DEFAULT_PERMISSIONS and permission.codename == (
                get_permission_codename(action, options)
            ):
                return DEFAULT_PERMISSIONS[action] % {"name": options.verbose_name}
        for codename, name in options.permissions:
            if codename == permission.codename:
                # Translatable there (gettext_lazy), or a string the catalogues
                # may hold (Wagtail's page permissions).
                return gettext(name) if isinstance(name, str) else str(name)
    return gettext(permission.name)
