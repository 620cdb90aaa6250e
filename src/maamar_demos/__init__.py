"""Demo engines that run in the reader's browser (Pyodide) and at build time (CPython).

Imports nothing but numpy and the standard library.
"""
