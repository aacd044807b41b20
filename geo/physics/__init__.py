"""Physics: ballistic free flight over the WGS84 Earth, turning or not.

- :mod:`~geo.physics.ballistic`: two-body free flight between points of the
  ellipsoid (Lambert's problem), the range convention that turns a published
  maximum range into a burnout speed, flight-time bands and the reach of a
  ballistic missile toward each azimuth on a turning Earth.

Below analysis and above geodesy: it knows points, speeds and seconds, not
claims, places or files. Internal: the supported names are those exported
by :mod:`geo`.
"""
