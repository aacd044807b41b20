"""Range analysis: launch sources, statuses, zones, coverage and population, exact on WGS84.

- :mod:`~geo.analysis.launch`: launch sources (points, territories) and the ``--from`` grammar;
- :mod:`~geo.analysis.status`: the :class:`Status` enum and the one reachability rule;
- :mod:`~geo.analysis.bands`: range bands and reach tables;
- :mod:`~geo.analysis.classifier`: the screened exact classifier for large target sets;
- :mod:`~geo.analysis.api`: :func:`geo.reach`, the entry point;
- :mod:`~geo.analysis.streaming`: :func:`geo.iter_reach`, a place set of any size chunk by chunk;
- :mod:`~geo.analysis.distributed`: the same on a Dask cluster;
- :mod:`~geo.analysis.zones`: drawn zones (reach, dead zone, reachable) with error bounds;
- :mod:`~geo.analysis.coverage`: shares of a launch area that reach a place;
- :mod:`~geo.analysis.population`: gazetteer population per zone of a band.

Internal: the supported names are those exported by :mod:`geo`.
"""
