"""The text a person agrees to at sign-up (Decree 13/2023/NĐ-CP on personal data).

Change the text, or its Vietnamese translation, only together with
settings.PERSONAL_DATA_CONSENT_VERSION. Each ConsentRecord also stores the text
exactly as the person saw it, in the language of their sign-up page.
"""

from django.utils.translation import gettext_lazy as _

PERSONAL_DATA_CONSENT_TEXT = _(
    "I agree that the platform processes my full name, mobile number, email, kind "
    "of learner, commune and learning records in order to run my courses, issue my "
    "certificates and count trained people in the reports of my administrative "
    "unit, as Decree 13/2023/ND-CP on the protection of personal data provides. I "
    "can ask to see, correct or delete my data, or withdraw this consent, at any "
    "time."
)
