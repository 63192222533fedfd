from django.shortcuts import render
from django.views.decorators.http import require_GET

from .selectors import MAX_COMMUNE_CHOICES, commune_candidates


@require_GET
def commune_search(request):
    """Suggest communes for what was typed, without accents needed (htmx partial)."""
    query = request.GET.get("commune_query") or request.GET.get("q") or ""
    matches = []
    if len(query.strip()) >= 2:
        matches = list(commune_candidates(query)[:MAX_COMMUNE_CHOICES])
    return render(
        request,
        "regions/includes/commune_suggestions.html",
        {"matches": matches, "query": query},
    )
