"""System checks for what the platform needs from the machine."""

import ctypes.util
from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, Warning, register


@register()
def harfbuzz_subset_check(app_configs, **kwargs):
    """Warn when WeasyPrint would fall back to slow pure-Python font subsetting."""
    if ctypes.util.find_library("harfbuzz-subset"):
        return []
    return [
        Warning(
            "libharfbuzz-subset is not installed: WeasyPrint falls back to "
            "pure-Python font subsetting and certificates render about 3x slower.",
            hint="apt-get install -y libharfbuzz-subset0",
            id="core.W001",
        )
    ]


@register()
def public_base_url_check(app_configs, **kwargs):
    """Refuse to start without the site's public address: it is printed under
    every certificate's QR code, and a wrong one makes papers that never verify.
    Only the production settings leave it empty."""
    url = getattr(settings, "PUBLIC_BASE_URL", "") or ""
    parts = urlsplit(url)
    if parts.scheme in ("http", "https") and parts.netloc:
        return []
    problem = (
        f"PUBLIC_BASE_URL is not an address: {url!r}."
        if url
        else "PUBLIC_BASE_URL is not set."
    )
    return [
        Error(
            problem + " It is printed under every certificate's QR code.",
            hint=(
                "Set the environment variable PUBLIC_BASE_URL to the site's public "
                "address, e.g. https://kynangso.hungyen.gov.vn"
            ),
            id="core.E001",
        )
    ]


@register("storage", deploy=True)
def object_storage_check(app_configs, **kwargs):
    """Refuse to deploy when a storage is an S3 bucket that cannot be reached or
    whose credentials are refused: uploads and bulk downloads would fail later,
    one by one. Run only by ``check --deploy`` and ``check_storage``, so tests
    and development never need the object store."""
    from .storage import S3_BACKEND, bucket_problem

    errors = []
    for alias in ("default", "private"):
        if settings.STORAGES.get(alias, {}).get("BACKEND") != S3_BACKEND:
            continue
        problem = bucket_problem(alias)
        if problem:
            errors.append(
                Error(
                    f'STORAGES["{alias}"]: {problem}',
                    hint=(
                        "Unset AWS_STORAGE_BUCKET_NAME to keep files on disk "
                        "(one machine only)."
                    ),
                    id="core.E002",
                )
            )
    return errors


@register()
def metrics_networks_check(app_configs, **kwargs):
    """Refuse a METRICS_ALLOWED_NETWORKS entry that is not a network: it would
    be ignored, and Prometheus refused without anyone knowing why."""
    from .metrics import parse_networks

    _networks, invalid = parse_networks(
        getattr(settings, "METRICS_ALLOWED_NETWORKS", ())
    )
    if not invalid:
        return []
    return [
        Error(
            f"METRICS_ALLOWED_NETWORKS holds what is not a network: "
            f"{', '.join(map(repr, invalid))}.",
            hint="Write addresses or networks, comma-separated: 10.0.0.0/8,::1",
            id="core.E003",
        )
    ]
