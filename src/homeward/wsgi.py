"""The WSGI application (``homeward serve``, or any WSGI server: ``homeward.wsgi:application``).

Importing it also tunes the cyclic garbage collector for serving (:data:`GC_THRESHOLDS`, the setting of
``homeward.collector`` that the command line shares): a request allocates
tens of thousands of short-lived containers (querysets, template contexts, rows), which Python's default first
threshold (700) collects hundreds of times a second, and every few seconds a full collection walks the whole
heap for 50–70 ms. In-process over the load test's routes (``benchmarks/load/profile_routes.py``, PostgreSQL,
docs/benchmarks.md) the collector took 7–9 % of the CPU with the defaults and 4–5 % with these thresholds, and
no full collection ran. Almost everything a request allocates is freed by reference counting; the collector
only finds cycles, which wait a little longer.
"""

import os

from django.core.wsgi import get_wsgi_application

from homeward import collector

GC_THRESHOLDS = collector.THRESHOLDS

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "homeward.settings")
application = get_wsgi_application()
collector.tune()
