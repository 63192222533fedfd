"""What the coverage reports read, one module per part of a report:

- ``filters``: what a report asks and answers (``ReportFilters``, ``Figures``,
  ``Dashboard``...), the default period;
- ``access``: who sees which unit's reports;
- ``units``: the units of a report and where each unit's records count;
- ``counting``: the aggregations over the kept counts and the certificates;
- ``targets``: the target in force;
- ``parallel``: running aggregations side by side on PostgreSQL;
- ``coverage``: the coverage dashboard (``coverage_dashboard``), with the
  definitions of every figure;
- ``cache``: the dashboard page's short-lived shared cache;
- ``learners``: a class and its learners.

The reports only read other apps' tables; what they keep of them is written by
``reports.services``.
"""
