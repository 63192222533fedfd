"""System checks for what the platform needs from the machine."""

import ctypes.util

from django.core.checks import Warning, register


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
