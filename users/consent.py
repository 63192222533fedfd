"""The text a person agrees to at sign-up, when claiming their account, and again
whenever it changes (Personal Data Protection Law No. 91/2025/QH15).

Change the text, or its Vietnamese translation, only together with
settings.PERSONAL_DATA_CONSENT_VERSION: everyone is then asked to agree to the
new text at their next visit (users.middleware). Each ConsentRecord also stores
the text exactly as the person saw it, in the language of the page.
"""

from django.utils.translation import gettext_lazy as _

PERSONAL_DATA_CONSENT_TEXT = _(
    "I agree that the platform processes my full name, mobile number, email, date "
    "of birth, kind of learner, commune and learning records (courses, lessons, "
    "quiz answers, class attendance, certificates) to run my courses and classes, "
    "issue and verify my certificates, and count trained people in the reports of "
    "my administrative unit, under the Personal Data Protection Law No. "
    "91/2025/QH15. I can see, correct and download my data, withdraw this consent "
    "and delete my account at any time on the “My account” page."
)
