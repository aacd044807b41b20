"""Outputs: everything georange writes, atomically, and the readers the tests round-trip through.

- :mod:`~geo.outputs.atomic`: atomic, no-overwrite writes (every file goes through it);
- :mod:`~geo.outputs.tables`: reach tables as text, JSON, CSV, GeoJSON, and their readers;
- :mod:`~geo.outputs.stream`: the same chunk by chunk, for inputs of any size;
- :mod:`~geo.outputs.zonefiles`: zones as GeoJSON, GeoPackage and KML;
- :mod:`~geo.outputs.report`: claim reports (table, JSON, Markdown, CSV, GeoJSON);
- :mod:`~geo.outputs.mapcontent`: what a map shows, independent of drawing;
- :mod:`~geo.outputs.webmap`: the interactive HTML map (the only module that imports folium);
- :mod:`~geo.outputs.figure`: the static figure (the only module that imports matplotlib).

Internal: the supported names are those exported by :mod:`geo`.
"""
