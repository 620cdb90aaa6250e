"""The widget kit for interactive articles: what runs in the reader's browser
(Pyodide) and at build time (CPython), unchanged.

One layer per folder, imports pointing one way (a test enforces it):

* ``kit/``     — the author API: spec (params, controls), markup, plots, png, i18n
* ``text/``    — Hebrew text tools and the corpus the language widgets learn from
* ``models/``  — numpy engines, one concept per module, no markup
* ``widgets/`` — one module per built-in kind; never imports another widget
* ``locale/<lang>/`` — reader-facing strings

``runtime.call`` is the single entry point; ``registry.WIDGETS`` maps kinds to
modules.  Imports nothing but numpy and the standard library.
"""
