"""System checks of certificates."""

from django.core.checks import Error, register


@register("security", deploy=True)
def signing_key_check(app_configs, **kwargs):
    """Refuse to deploy without a readable signing key: certificates would be
    issued without their Open Badges credential. Run by ``check --deploy``, which
    the production settings must pass."""
    from .signing import SETTING, key_problem

    problem = key_problem()
    if problem is None:
        return []
    return [
        Error(
            problem + " It signs every certificate's Open Badges credential.",
            hint=(
                f"Run `manage.py credential_key_generate` once, keep the file outside "
                f"the repository on every app machine, and set {SETTING} to its path."
            ),
            id="certificates.E001",
        )
    ]
