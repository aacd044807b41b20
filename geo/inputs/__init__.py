"""Inputs: user files of launch areas and target points, checked feature by feature and row by row.

- :mod:`~geo.inputs.polygons`: launch areas (``--from FILE``);
- :mod:`~geo.inputs.points`: target points, streamed in chunks (``--places FILE``);
- :mod:`~geo.inputs.targets`: a ``--places`` spec, a preset or a file, whole or in chunks;
- :mod:`~geo.inputs._files`: what the readers share (GIS layers, CRS, messages).

Internal: the supported names are those exported by :mod:`geo`.
"""
