"""The text a helped person agrees to before their name and phone are kept on a
record (Personal Data Protection Law No. 91/2025/QH15).

Change the text, or its Vietnamese translation, only together with
CONSENT_VERSION. Each record keeps the text exactly as the helper's page showed
it, as ``users.ConsentRecord`` keeps a learner's.
"""

from django.utils.translation import gettext_lazy as _

CONSENT_VERSION = "2026-12"

CONSENT_TEXT = _(
    "The person I helped agrees that the platform keeps their name and mobile "
    "number on this record, only so that the team leader or teacher can check the "
    "help with them, under the Personal Data Protection Law No. 91/2025/QH15."
)
