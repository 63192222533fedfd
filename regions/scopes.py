"""Which rows lie under which units: a unit's subtree as one query condition.

A row that records a unit by its ``path`` (``Region.path``, or a path copied onto
it such as a certificate's ``region_path``) lies in a unit's subtree when the
path is the unit's own or starts with it and a dot.
"""

from __future__ import annotations

from functools import reduce
from operator import or_

from django.db.models import Q


def under_paths(paths: list[str], field: str) -> Q:
    """Return a condition: field (a region path) is one of paths or below one, so
    a row lies in one of those units' subtrees."""
    if not paths:
        return Q(pk__in=[])
    return reduce(
        or_,
        (
            Q(**{field: path}) | Q(**{f"{field}__startswith": path + "."})
            for path in paths
        ),
    )


def is_under(path: str, paths: list[str]) -> bool:
    """Whether the unit at path lies in the subtree of one of paths."""
    return any(path == top or path.startswith(top + ".") for top in paths)
