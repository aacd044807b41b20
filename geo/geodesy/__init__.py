"""Geodesy: numerics on the WGS84 ellipsoid, and nothing above them.

- :mod:`~geo.geodesy.ellipsoid`: the one configured ``Geod``, checked
  coordinates, geodesic distances, error bounds of the fast approximations;
- :mod:`~geo.geodesy.distance`: the exact nearest and farthest distance from
  targets to a launch area (:class:`~geo.geodesy.distance.LaunchArea`) and to
  launch points;
- :mod:`~geo.geodesy.densify`: geodesic edges cut into pieces (the one densifier);
- :mod:`~geo.geodesy.lonlat`: rings and polygons in longitude/latitude:
  wrapping, the antimeridian, pole caps, orientation.

Internal: the supported names are those exported by :mod:`geo`.
"""
