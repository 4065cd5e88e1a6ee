"""Benchmark and scale tooling (docs/performance.md), kept apart from the portal's own code.

Nothing the portal runs imports it: only the management commands ``seed_scale``,
``bench_pages`` and ``bench_sweep`` (protocol_portal/management/commands). It belongs to
the wiring layer at the top, the one place that may import every app.
"""
