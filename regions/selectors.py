"""Finding administrative units for what a person typed."""

from .models import Region

# More candidates than this and the person is asked to type more letters.
MAX_COMMUNE_CHOICES = 8


def commune_candidates(query: str):
    """Return the current communes matching what was typed, best first."""
    return (
        Region.objects.current()
        .filter(level=Region.Level.COMMUNE)
        .search(query)
        .select_related("parent")
        .order_by("name", "path")
    )
