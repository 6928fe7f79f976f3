"""reviewlib: the tested package under the Superconductor ML Review Companion.

Modules follow the data flow registry -> loaders -> features -> models -> claims -> book:

- :mod:`reviewlib.data` pinned registry, resolver (mirror -> cache -> download) and loaders
- :mod:`reviewlib.tc` closed-form Tc formulas (:mod:`reviewlib.tc.formulas`, re-exported), the
  isotropic Eliashberg solver (:mod:`reviewlib.tc.eliashberg`), alpha2F file readers
  (:mod:`reviewlib.tc.spectra_io`) and the ``reviewlib tc`` command (:mod:`reviewlib.tc.cli`)
- :mod:`reviewlib.features` composition and SOAP featurizers
- :mod:`reviewlib.models` estimators, named splits, cross-validated metrics
- :mod:`reviewlib.claims` the review's reported numbers and the values we reproduce
- :mod:`reviewlib.runner` papermill execution of the notebooks
"""

__version__ = "0.1.0"
