"""Benchmarks of the budgets in DESIGN.md. Run them with ``python bench/run.py``."""
