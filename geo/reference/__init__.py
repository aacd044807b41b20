"""Reference data shipped in ``data/``: places, countries, sites, systems, groups.

- :mod:`~geo.reference.datafiles`: where the shipped files are;
- :mod:`~geo.reference.names`: name normalisation and close-name suggestions;
- :mod:`~geo.reference.tomlfile`: the checked TOML reader of data and claim files;
- :mod:`~geo.reference.places`: the gazetteer, countries, sites, place presets;
- :mod:`~geo.reference.basemap`: the maps' backdrop;
- :mod:`~geo.reference.systems`: weapon systems and their sourced range figures;
- :mod:`~geo.reference.groups`: country groups (NATO, EU...) and named place sets.

Internal: the supported names are those exported by :mod:`geo`.
"""
