"""Border views: whose territory a country's name means, by recognised borders or by who controls the ground.

Two views (:data:`BORDER_VIEWS`):

``recognised`` (the default, :data:`DEFAULT_BORDERS`)
    The shipped countries as they are: Natural Earth 5.1.1 admin-0, German
    point-of-view edition (``data/countries.parquet``). Crimea is
    Ukraine's, the Golan Heights and Abyei belong to no country, the Paracel
    Islands are not drawn, Transnistria is Moldova's.
``controlled``
    Areas count as the territory of the state that administers them, by
    Natural Earth's *Admin 0 - Breakaway, disputed areas* layer, version
    4.0.0 (``data/disputed.parquet``, built by ``scripts/build_disputed.py``,
    which lists its rules). A country's controlled territory is its
    recognised territory less every area that changes hands to another
    administrator or to none (a self-administered breakaway area), plus
    every area it administers that the recognised data do not give it:
    Crimea with Sevastopol and Baykonur join Russia (and leave Ukraine and
    Kazakhstan), the Paracel Islands join China, the Golan Heights and the
    Shebaa Farms Israel, Western Sahara west of the berm Morocco, Abyei
    Sudan, Guantanamo Bay and Diego Garcia (leases) the USA; Transnistria
    leaves Moldova, Abkhazia and South Ossetia Georgia, Northern Cyprus
    Cyprus, Somaliland Somalia, Nagorno-Karabakh Azerbaijan, the Donbass
    (its 2017 lines) Ukraine, and none of those joins any state.
    :func:`controlled_changes` lists a country's changes.

An area changes hands only where the layer names an administrator (or self
administration) different from the area's recognised holder: where both
views give it to the same state (Kashmir's parts, Aksai Chin, the Kuril
Islands), the recognised boundary stands, and the two Natural Earth
versions' small differences along it do not matter.

Notes
-----
The layer is dated: version 4.0.0 (2017). Ground taken later is not in it:
the parts of Ukraine occupied since 2022 (the Donbass beyond its 2017 lines,
Zaporizhzhia and Kherson oblasts) are in no area, so controlled Russia does
not hold them; add them with a file of your own (``--from RUS --from
occupied.gpkg``). Changes since then run the other way too: Azerbaijan has
held all of Nagorno-Karabakh since September 2023, but the layer has it
self-administered, so controlled Azerbaijan lacks it (``--from AZE --from
karabakh.gpkg`` adds it back). Where Natural Earth's 4.0.0 area and its
5.1.1 countries draw one line differently, the area's line is used.

A unit whose whole ground changes hands holds nothing under controlled
borders (US Naval Base Guantanamo Bay, USG, leased to the USA):
:func:`territory` refuses it with :class:`~geo.errors.BorderViewError`.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Final

import numpy as np

from geo.errors import BorderViewError, DataFileError, UnknownPlaceError
from geo.geodesy.area import polygon_area_m2
from geo.reference.datafiles import REMEDIES, data_path, read_parquet
from geo.reference.names import close_names

if TYPE_CHECKING:
    from shapely.geometry.base import BaseGeometry

__all__ = [
    "borders_data",
    "BORDER_VIEWS",
    "DEFAULT_BORDERS",
    "DisputedArea",
    "area_names",
    "borders_note",
    "changed_area_km2",
    "check_borders",
    "clear_caches",
    "controlled_changes",
    "disputed_areas",
    "territory",
]

BORDER_VIEWS: Final = ("recognised", "controlled")
"""The border views, the default first."""
DEFAULT_BORDERS: Final = "recognised"
"""The border view used when none is asked for: the shipped countries as they are."""

COUNTRIES_VERSION: Final = "5.1.1"
"""Natural Earth version of ``data/countries.parquet`` (admin-0 countries, German point of view)."""
DISPUTED_VERSION: Final = "4.0.0"
"""Natural Earth version of ``data/disputed.parquet`` (admin-0 breakaway and disputed areas); checked on load."""

_SPELLINGS: Final = {"recognised": "recognised", "recognized": "recognised", "controlled": "controlled"}
# Words people use for a view that are not accepted (each means something else to someone), answered with a hint.
_HINTS: Final = {"de facto": "controlled", "defacto": "controlled", "administered": "controlled",
                 "occupied": "controlled", "actual": "controlled", "de jure": "recognised", "dejure": "recognised",
                 "official": "recognised", "international": "recognised", "legal": "recognised",
                 "default": "recognised"}
_CONTROLS: Final = frozenset({"administered", "leased", "self-administered", "none"})
_COLUMNS: Final = ["brk_a3", "name", "note", "type", "control", "admin", "holder", "geometry"]
_SLIVER_DEG: Final = 1e-4
"""Mean width (2 x area / perimeter, degrees; 1e-4 is about 11 m) below which a piece an overlay made is a sliver.

Where a 4.0.0 area and a 5.1.1 country share a line, subtracting the one
from the other leaves slivers along it: 1e-14 degrees wide where the two
versions have the same vertices, up to 8e-6 (a strip a metre wide, Somalia
less Somaliland) where they moved a vertex. The narrowest disputed area is
2.8e-4 degrees wide by this measure, the narrowest island of the shipped
countries 8e-5: a part of the recognised territory that an overlay leaves
unchanged is kept whatever its width.
"""
_PART_SHARE: Final = 0.5
"""Least share of a part's area an added area must cover for the part to be named after it."""


@dataclass(frozen=True)
class DisputedArea:
    """One area of Natural Earth's breakaway and disputed areas layer, as ``scripts/build_disputed.py`` reads it.

    Attributes
    ----------
    brk_a3 : str
        Natural Earth's code of the area (``"B89"``).
    name : str
        Natural Earth's name (``BRK_NAME``: ``"Crimea"``, ``"Paracel Is."``).
    note : str
        Natural Earth's note (``NOTE_BRK``: ``"Admin. by Russia; Claimed by Ukraine"``), or ``""``.
    type : str
        Natural Earth's ``TYPE`` (``"Disputed"``, ``"Breakaway"``, ``"Lease"``, ...).
    control : str
        ``"administered"``, ``"leased"``, ``"self-administered"`` or ``"none"``.
    admin : str
        The ``countries.parquet`` code of the administrator (the lessee of a lease), or ``""``.
    holder : str
        The country that holds the area under recognised borders, or ``""``.
    geometry : shapely.Polygon or shapely.MultiPolygon
        Lon/lat degrees, EPSG:4326.
    """

    brk_a3: str
    name: str
    note: str
    type: str
    control: str
    admin: str
    holder: str
    geometry: BaseGeometry = field(repr=False)

    @property
    def changes_hands(self) -> bool:
        """Whether the controlled view gives this area to another state (or to none) than the recognised one."""
        return self.control != "none" and self.admin != self.holder


def check_borders(value: object, what: str = "borders") -> str:
    """Return the border view `value` names: ``"recognised"`` or ``"controlled"``.

    Case and surrounding blanks are ignored; ``"recognized"`` is
    ``"recognised"``.

    Parameters
    ----------
    value : object
        The view as the user gave it.
    what : str, default "borders"
        What the value is, for the message (``"--borders"``,
        ``'claims/x.toml, claim "a": borders'``).

    Raises
    ------
    BorderViewError
        If `value` is not a string naming a view; one line naming `what`,
        the value and the views.

    Examples
    --------
    >>> check_borders("Recognized"), check_borders(" controlled ")
    ('recognised', 'controlled')
    """
    views = " or ".join(BORDER_VIEWS)
    if not isinstance(value, str):
        raise BorderViewError(f"{what} {value!r} is a {type(value).__name__}: expected a border view, {views}")
    key = " ".join(value.strip().lower().replace("-", " ").replace("_", " ").split())
    view = _SPELLINGS.get(key)
    if view is None:
        hint = _HINTS.get(key)
        advice = f" (for {value.strip()!r} say {hint!r})" if hint else close_names(key, BORDER_VIEWS)
        raise BorderViewError(f"{what} {value!r} is not a border view: expected {views}{advice}")
    return view


def borders_data(borders: str) -> str:
    """Return the data a border view is built from, with versions (the ``border_src`` column of outputs).

    Examples
    --------
    >>> borders_data("recognised")
    'Natural Earth 5.1.1 admin-0'
    >>> borders_data("controlled")
    'Natural Earth 5.1.1 admin-0 + 4.0.0 disputed areas (2017) as administered'
    """
    view = check_borders(borders)
    if view == "recognised":
        return f"Natural Earth {COUNTRIES_VERSION} admin-0"
    return f"Natural Earth {COUNTRIES_VERSION} admin-0 + {DISPUTED_VERSION} disputed areas (2017) as administered"


def borders_note(borders: str) -> str:
    """Return one short line naming the border view and its data, for titles, reports and map credits.

    Examples
    --------
    >>> borders_note("recognised")
    'recognised borders, Natural Earth 5.1.1 admin-0'
    """
    view = check_borders(borders)
    return f"{view} borders, {borders_data(view)}"


def _damaged(path: object, problem: str) -> DataFileError:
    return DataFileError(f"data file 'disputed.parquet' ({path}) {problem}; {REMEDIES['disputed.parquet']}")


@functools.cache
def disputed_areas() -> tuple[DisputedArea, ...]:
    """Return every area of ``data/disputed.parquet``, in its order (by Natural Earth code).

    Raises
    ------
    DataFileError
        If the file is missing, unreadable, of another Natural Earth version,
        or has a column or value the build never writes.
    """
    import pyarrow as pa
    import shapely

    path = data_path("disputed.parquet")
    try:
        table = read_parquet(path, _COLUMNS)
    except (OSError, pa.ArrowException) as err:
        raise _damaged(path, f"cannot be read: {err}") from err
    metadata = table.schema.metadata or {}
    version = metadata.get(b"georange:version", b"").decode()
    if version != DISPUTED_VERSION:
        raise _damaged(path, f"is Natural Earth version {version or '?'}, expected {DISPUTED_VERSION}")
    column = json.loads(metadata.get(b"geo", b"{}")).get("columns", {}).get("geometry", {})
    crs = column.get("crs", {"id": {"authority": "EPSG", "code": 4326}})  # GeoParquet: no crs means lon/lat WGS84
    crs_id = crs.get("id", {}) if isinstance(crs, dict) else {}
    if column.get("encoding") != "WKB" or (crs_id.get("authority"), crs_id.get("code")) != ("EPSG", 4326):
        raise _damaged(path, f"has geometry encoding {column.get('encoding')!r} and CRS {crs_id or crs}, "
                             f"expected WKB in EPSG:4326")
    columns = {c: table.column(c).to_pylist() for c in _COLUMNS[:-1]}
    # to_pylist, not to_numpy: pyarrow imports pandas for the latter (geo.lazy), 0.6 s
    geometries = shapely.from_wkb(table.column("geometry").to_pylist())
    areas = []
    for i, geometry in enumerate(geometries):
        row = {c: str(columns[c][i] or "") for c in _COLUMNS[:-1]}
        if row["control"] not in _CONTROLS:
            raise _damaged(path, f"row {i} ({row['name']}): control {row['control']!r} is not one of "
                                 f"{sorted(_CONTROLS)}")
        if not isinstance(geometry, shapely.Polygon | shapely.MultiPolygon) or geometry.is_empty:
            raise _damaged(path, f"row {i} ({row['name']}): geometry is not a Polygon or MultiPolygon")
        areas.append(DisputedArea(**row, geometry=geometry))
    return tuple(areas)


def _changing() -> tuple[DisputedArea, ...]:
    return tuple(a for a in disputed_areas() if a.changes_hands)


@functools.cache
def _codes() -> frozenset[str]:
    from geo.reference.shipped import _country_table  # deferred: its pyarrow is not needed to check a view

    return frozenset(_country_table().column("iso_a3").to_pylist())


def _recognised(iso_a3: str) -> BaseGeometry:
    from geo.reference.shipped import _country_shape  # deferred: its pyarrow is not needed to check a view

    if not isinstance(iso_a3, str) or iso_a3 not in _codes():
        raise UnknownPlaceError(f"country code {iso_a3!r} is not a code of countries.parquet (e.g. 'RUS')")
    return _country_shape(iso_a3)[1]


def _width(polygon: BaseGeometry) -> float:
    return 2.0 * float(polygon.area) / float(polygon.length) if polygon.length else 0.0


def _polygons(geometry: BaseGeometry) -> BaseGeometry:
    """Return the Polygon or MultiPolygon of the polygons in `geometry` (an overlay may add lines and points)."""
    import shapely

    polygons = [p for p in shapely.get_parts(geometry) if p.geom_type == "Polygon" and not p.is_empty]
    if not polygons:
        return shapely.Polygon()
    out = polygons[0] if len(polygons) == 1 else shapely.MultiPolygon(polygons)
    return out if out.is_valid else shapely.make_valid(out, method="structure", keep_collapsed=False)


def _without_slivers(geometry: BaseGeometry, keep: BaseGeometry | None = None) -> BaseGeometry:
    """Return `geometry` less its parts and holes narrower than :data:`_SLIVER_DEG` that are not those of `keep`.

    A narrow part or hole of `keep` (the recognised territory) is kept: an
    overlay passes untouched parts through.
    """
    import shapely

    kept_parts = list(shapely.get_parts(keep)) if keep is not None else []
    kept_holes = [shapely.Polygon(r) for p in kept_parts for r in p.interiors]

    def original(piece: BaseGeometry, pool: list[BaseGeometry]) -> bool:
        return any(piece.equals(other) for other in pool if other.intersects(piece))

    polygons = []
    for part in shapely.get_parts(_polygons(geometry)):
        if _width(part) < _SLIVER_DEG and not original(part, kept_parts):
            continue
        holes = [ring for ring in part.interiors
                 if _width(shapely.Polygon(ring)) >= _SLIVER_DEG or original(shapely.Polygon(ring), kept_holes)]
        polygons.append(part if len(holes) == len(part.interiors) else shapely.Polygon(part.exterior, holes))
    return _polygons(shapely.MultiPolygon(polygons)) if polygons else shapely.Polygon()


@functools.cache
def _controlled(iso_a3: str) -> BaseGeometry:
    import shapely

    recognised = _recognised(iso_a3)
    # An area takes ground from a country only where they overlap by more than a sliver (a neighbour
    # whose border the area follows, Syria for the Golan Heights, keeps its geometry as it is).
    losing = [a.geometry for a in _changing() if a.admin != iso_a3 and a.geometry.intersects(recognised)
              and not _without_slivers(shapely.intersection(a.geometry, recognised)).is_empty]
    gaining = [a.geometry for a in _changing() if a.admin == iso_a3]
    if not losing and not gaining:
        return recognised
    ground = recognised
    if losing:
        ground = _without_slivers(shapely.difference(recognised, shapely.union_all(losing)), keep=recognised)
    # An area apart from the country (Crimea, Baykonur, the Paracels) is added as parts of its own, after the
    # country's in their order; one that touches it (the Golan Heights) is merged by an overlay.
    added = list(shapely.get_parts(shapely.union_all(gaining))) if gaining else []
    apart = [g for g in added if not g.intersects(ground)]
    touching = [g for g in added if g.intersects(ground)]
    if touching:
        ground = _without_slivers(shapely.union_all([ground, *touching]), keep=recognised)
    if apart:
        ground = shapely.MultiPolygon([*shapely.get_parts(ground), *apart])
    if ground.is_empty:
        gone = "; ".join(f"{a.name} is {'administered by ' + a.admin if a.admin else 'self-administered'} "
                         f"({a.note})" for a in _changing() if a.holder == iso_a3)
        raise BorderViewError(f"{iso_a3} holds no ground under controlled borders: {gone}; use recognised borders")
    for part in shapely.get_parts(ground):
        west, _, east, _ = part.bounds
        if east - west >= 180.0:  # pragma: no cover - the build checks every area; a country never spans this
            raise DataFileError(f"controlled territory of {iso_a3}: a part spans {east - west:.1f} degrees of "
                                f"longitude (an area crosses the antimeridian)")
    return ground


def territory(iso_a3: str, borders: str) -> BaseGeometry:
    """Return a country's territory under a border view.

    Parameters
    ----------
    iso_a3 : str
        The country's code in ``countries.parquet`` (``"RUS"``; as
        :func:`geo.reference.countries.lookup_country` returns it).
    borders : str
        ``"recognised"`` or ``"controlled"`` (anything :func:`check_borders` accepts).

    Returns
    -------
    shapely.Polygon or shapely.MultiPolygon
        Lon/lat degrees, valid, no part spanning 180 degrees of longitude.
        Recognised: the shipped geometry itself (the object
        :func:`geo.reference.countries.lookup_country` returns). Controlled: see
        the module docstring; the recognised object where nothing changes;
        where the country only gains areas apart from it (Russia: Crimea,
        Baykonur), its own parts unchanged and in their order, then the
        areas'. Cached.

    Raises
    ------
    BorderViewError
        If `borders` is no view, or the country holds no ground under
        controlled borders (USG: all of it is leased to the USA).
    UnknownPlaceError
        If `iso_a3` is not a code of ``countries.parquet``.
    """
    view = check_borders(borders)
    if view == "recognised":
        return _recognised(iso_a3)
    return _controlled(iso_a3)


def controlled_changes(iso_a3: str) -> list[tuple[str, str, str]]:
    """Return the areas a country gains or loses under controlled borders, as ``(name, note, "gains"|"loses")``.

    A country gains the areas it administers that the recognised data give
    to another country or to none, and loses those it holds under
    recognised borders that another state, or no state, administers.
    Slivers where the two Natural Earth versions draw a shared line apart
    are not listed (:func:`territory` moves them all the same).

    Examples
    --------
    >>> controlled_changes("MDA")
    [('Transnistria', 'Self admin.; Claimed by Moldova', 'loses')]
    """
    _recognised(iso_a3)
    out = []
    for area in _changing():
        if area.admin == iso_a3:
            out.append((area.name, area.note, "gains"))
        elif area.holder == iso_a3:
            out.append((area.name, area.note, "loses"))
    return out


def area_names(polygons: list[BaseGeometry], iso_a3: str, borders: str) -> list[str | None]:
    """Name the parts of a territory that are (mostly) an area the controlled view adds to the country.

    Parameters
    ----------
    polygons : list of shapely.Polygon
        The parts of one territory (lon/lat degrees), e.g. of
        ``territory("RUS", "controlled")``.
    iso_a3 : str
        The country's code.
    borders : str
        The border view; under ``"recognised"`` no part is named.

    Returns
    -------
    list of str or None
        Per part, the Natural Earth name of the added area that covers at
        least half of it (``"Crimea"``, ``"Paracel Is."``), else None.
    """
    import shapely

    names: list[str | None] = [None] * len(polygons)
    if check_borders(borders) != "controlled" or not polygons:
        return names
    added = [a for a in _changing() if a.admin == iso_a3]
    if not added:
        return names
    parts = np.asarray(polygons, dtype=object)
    areas = shapely.area(parts)
    for area in added:
        hits = np.flatnonzero(shapely.intersects(parts, area.geometry))
        for j in hits:
            if names[j] is None and areas[j] > 0:
                share = shapely.area(shapely.intersection(parts[j], area.geometry)) / areas[j]
                if share >= _PART_SHARE:
                    names[j] = area.name
    return names


def changed_area_km2(iso_a3: str) -> tuple[float, float]:
    """Return the geodesic area (km², WGS84) a country gains and loses under controlled borders.

    Computed from the geometries (slivers included): ``gained`` is the area
    of the controlled territory outside the recognised one, ``lost`` the
    reverse.
    """
    import shapely

    recognised = _recognised(iso_a3)
    try:
        controlled = _controlled(iso_a3)
    except BorderViewError:
        controlled = shapely.Polygon()
    if controlled is recognised:
        return 0.0, 0.0
    gained = polygon_area_m2(shapely.difference(controlled, recognised)) / 1e6
    lost = polygon_area_m2(shapely.difference(recognised, controlled)) / 1e6
    return gained, lost


def clear_caches() -> None:
    """Forget the loaded areas and the controlled territories, e.g. after changing ``GEORANGE_DATA``."""
    disputed_areas.cache_clear()
    _codes.cache_clear()
    _controlled.cache_clear()
