from django.shortcuts import render
from django.views.decorators.http import require_GET

from .selectors import commune_matches


@require_GET
def commune_search(request):
    """Suggest communes for what was typed, without accents needed (htmx partial)."""
    query = request.GET.get("commune_query") or request.GET.get("q") or ""
    matches, more = [], 0
    if len(query.strip()) >= 2:
        found = commune_matches(query)
        matches, more = found.units, found.more
    return render(
        request,
        "regions/includes/commune_suggestions.html",
        {"matches": matches, "more": more, "query": query},
    )
