"""Crystal structure search with a universal ML interatomic potential (issue 15).

- :mod:`reviewlib.search.generate` symmetry-constrained random structures (PyXtal)
- :mod:`reviewlib.search.relax` relaxation under pressure through ASE (enthalpy), with checks
- :mod:`reviewlib.search.store` resumable tidy results table plus CIFs, batches through joblib
- :mod:`reviewlib.search.screen` two-stage search: loose screening of all, tight refinement of the best
- :mod:`reviewlib.search.hull` de-duplication (StructureMatcher) and the convex hull (PhaseDiagram)
- :mod:`reviewlib.search.phonons` harmonic phonons (phonopy) and a TDEP-style anharmonic fit (hiphive)

Importing this package loads none of the heavy dependencies (torch, pyxtal, phonopy, hiphive).
"""
