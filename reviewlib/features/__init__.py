"""Feature builders: composition statistics and structural (SOAP) descriptors, with an on-disk cache.

- :mod:`reviewlib.features.soap` occupancy-aware averaged SOAP (dscribe) for pymatgen structures
- :mod:`reviewlib.features.cache` content-addressed cache (npz, no pickle) under ``cache_root()/features``
"""
