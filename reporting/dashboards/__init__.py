"""The Standards Committee's dashboards (DESIGN §7; issue 6): the pages and their CSV
downloads (``views``), their filters (``forms``), the cases behind a figure (``drilldown``)
and the monthly digest e-mailed to the committee (``digest``). The figures themselves are
``reporting.figures``, the charts ``reporting.charts``.
"""
