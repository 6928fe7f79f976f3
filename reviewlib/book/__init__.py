"""The book wing: the machinery that runs, records and publishes the chapters.

It sits above the science subpackages, which never import it (checked by import-linter in
``make lint``):

- :mod:`reviewlib.book.runner` papermill execution of a chapter, its records, peak memory
- :mod:`reviewlib.book.publish` the atomic install of a finished full-mode run into ``book/published``
- :mod:`reviewlib.book.cluster` chapters sent to a dask.distributed cluster, one task per chapter
- :mod:`reviewlib.book.claims` the review's reported numbers, our values and the verdicts
- :mod:`reviewlib.book.results` the results store: every model evaluation a chapter makes
- :mod:`reviewlib.book.chapter` the chapter contract's helpers (start, summary box, finish)
- :mod:`reviewlib.book.pages` the generated pages (status, reported vs reproduced, all results, API)
- :mod:`reviewlib.book.schemas` JSON schemas of the published records
- :mod:`reviewlib.book.cli` the ``reviewlib`` command
"""
