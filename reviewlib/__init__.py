"""reviewlib: the tested package under the Superconductor ML Review Companion.

Modules follow the data flow registry -> loaders -> features -> models -> evaluation -> book:

- :mod:`reviewlib.data` pinned registry, resolver (mirror -> cache -> download) and loaders
- :mod:`reviewlib.tc` closed-form Tc formulas (:mod:`reviewlib.tc.formulas`, re-exported), the
  isotropic Eliashberg solver (:mod:`reviewlib.tc.eliashberg`), alpha2F file readers
  (:mod:`reviewlib.tc.spectra_io`) and the ``reviewlib tc`` command (:mod:`reviewlib.tc.cli`)
- :mod:`reviewlib.features` composition and SOAP featurizers
- :mod:`reviewlib.models` estimators, named splits, cross-validated metrics
- :mod:`reviewlib.evaluation` group labels, splits, out-of-fold predictions, baselines, bootstraps
- :mod:`reviewlib.hydrides`, :mod:`reviewlib.dft`, :mod:`reviewlib.search`, :mod:`reviewlib.pipeline`
  the topic science of the hydride, first-principles, structure-search and pipeline chapters
- :mod:`reviewlib.book` the book wing above all of these (running, publishing, claims, results,
  pages, the ``reviewlib`` command), which the science never imports
"""

__version__ = "0.1.0"
