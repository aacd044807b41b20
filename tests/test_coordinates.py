"""Coordinates in the notations analysts write (geo.inputs.coordinates), against numbers computed here.

Every notation is generated from known decimal degrees (hypothesis) and
must parse back to them; malformed or out-of-range values are one-line
errors; names are left alone for the name lookup.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geo.analysis.launch import LaunchPoint, parse_launch
from geo.claims.model import make_claim
from geo.errors import GeoRangeError, InvalidCoordinateError
from geo.inputs.coordinates import parse_point

LAT = st.floats(-90, 90, allow_nan=False).map(lambda v: round(v, 6))
LON = st.floats(-180, 180, allow_nan=False).map(lambda v: round(v, 6))


def dms(value: float, positive: str, negative: str, *, marks=("°", "'", '"'), seconds=True) -> str:
    hemi = positive if value >= 0 else negative
    if not seconds:
        minutes = round(abs(value) * 60, 6)
        d, m = divmod(minutes, 60)
        return f"{int(d)}{marks[0]}{m:.6f}{marks[1]}{hemi}"
    total = round(abs(value) * 3600, 6)  # whole seconds and six decimals, carried into minutes and degrees
    d, rest = divmod(total, 3600)
    m, s = divmod(rest, 60)
    return f"{int(d)}{marks[0]}{int(m)}{marks[1]}{s:.6f}{marks[2]}{hemi}"


@settings(max_examples=300, deadline=None)
@given(LAT, LON, st.sampled_from(["{la}N {lo}E", "N{la} E{lo}", "{la}° N, {lo}° E", "{lo}E {la}N",
                                    "{la} с.ш. {lo} в.д."]))
def test_hemisphere_letters(lat, lon, form):
    text = form.format(la=f"{abs(lat):.6f}", lo=f"{abs(lon):.6f}").replace("N", "N" if lat >= 0 else "S") \
        .replace("E", "E" if lon >= 0 else "W").replace("с.ш.", "с.ш." if lat >= 0 else "ю.ш.") \
        .replace("в.д.", "в.д." if lon >= 0 else "з.д.")
    p = parse_point(text)
    assert (p.lat, p.lon) == (pytest.approx(lat, abs=1e-12), pytest.approx(lon, abs=1e-12)), text


@settings(max_examples=300, deadline=None)
@given(LAT, LON, st.sampled_from([("°", "'", '"'), ("°", "′", "″"), (" ", " ", " ")]), st.booleans())
def test_degrees_minutes_seconds(lat, lon, marks, seconds):
    text = f"{dms(lat, 'N', 'S', marks=marks, seconds=seconds)} {dms(lon, 'E', 'W', marks=marks, seconds=seconds)}"
    p = parse_point(text)
    assert abs(p.lat - lat) < 1e-8 and abs(p.lon - lon) < 1e-8, text  # seconds to 6 decimals: 3e-11 degrees


def test_named_points_label_every_output():
    p = parse_point("Baltiysk=54.65N 19.92E")
    assert (p.name, p.lat, p.lon, p.label) == ("Baltiysk", 54.65, 19.92, "Baltiysk")
    launch = parse_launch("Baltiysk=54.65N 19.92E")
    assert launch == LaunchPoint("Baltiysk", 19.92, 54.65)
    claim = make_claim(place="Gdansk port=54°24'N 18°40'E", expect="reachable", launch="Baltiysk=54.65,19.92",
                       max_km=100)
    assert claim.place.name == "Gdansk port" and claim.launch.sources[0].label == "Baltiysk"
    assert abs(claim.place.lat - 54.4) < 1e-12 and abs(claim.place.lon - (18 + 40 / 60)) < 1e-12


@pytest.mark.parametrize("text", ["Minsk", "Sevastopol", "Washington, D.C.", "N", "West", "Kyiv=capital"])
def test_names_are_not_coordinates(text):
    assert parse_point(text) is None


@pytest.mark.parametrize(("text", "message"), [
    ("54N 21N", "one latitude (N or S) and one longitude (E or W)"),
    ("95N 21E", "latitude 95 is outside [-90, 90]"),
    ("54N 190E", "longitude 190 is outside [-180, 180]"),
    ("54°61'N 21E", "minutes and seconds must be below 60"),
    ("95,27.5", "did you mean 27.5,95?"),
    ("=54.6,21.8", "the name before '=' is empty"),
    ("Baltiysk=54.6N", "expected NAME=LAT,LON"),
    ("1.2.3", "not a valid coordinate"),
])
def test_malformed_coordinates_are_one_line_errors(text, message):
    with pytest.raises(InvalidCoordinateError, match=re.escape(message)):
        parse_point(text)
    with pytest.raises(GeoRangeError):
        parse_launch(text)
