"""Benchmark of the worksheet runtime against the usual main-thread Pyodide page (``make bench``)."""
