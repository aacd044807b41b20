"""Render claim and survey results as a text table, JSON or Markdown.

JSON schema (``georange check --format json``): an array with one object
per claim, then one per survey, each with ``kind``.

A claim object (``"kind": "claim"``):

========================  ==================================================
``id``, ``file``          claim id and the claim file it comes from
``source``                ``{article, date, outlet}`` (empty strings if unknown)
``text``, ``system``      the claim in words; the system's name or ""
``place``                 the place as written in the claim file
``place_name``, ``lat``,  the place resolved (gazetteer name, degrees,
``lon``, ``country``      ISO alpha-2 country or "")
``from``                  the launch sources as written (list)
``expect``                reachable, not_reachable, too_close, too_far, mixed
                          or all_reachable (an area target)
``min_km``, ``max_km``    the nominal range figures used
``min_km_interval``,      uncertainty intervals ``[low, high]``
``max_km_interval``
``status``, ``holds``     the exact status and whether it matches ``expect``
``nearest_km``,           nearest and farthest launch point from the place
``farthest_km``
``deciding_km``,          the distance that decides and the figure it is
``deciding_figure``       compared with; ``via`` the deciding launch part
``margin_km``             how far the deciding distance clears its threshold
``critical_km``,          the nearest value of one figure (the other fixed)
``critical_figure``,      at which the verdict flips, null if none can;
``critical_holds_if``     the claim holds while ``figure holds_if value``
``critical``              both figures: ``{min_km: {value_km, holds_if} | null, max_km: ...}``
``robust``                the verdict is the same over the whole
                          uncertainty box of both figures
``robust_by_figure``      ``{min_km: bool, max_km: bool}``, one figure varied
``coverage``              share (0-1) of the launch area from which the place
                          is reachable, null for point launches;
                          ``coverage_error`` its bound; ``coverage_sites``
                          ``[reachable, total]`` launch points
``area``                  for an area target: ``{all_reachable, share,
                          share_error, area_km2, text}`` ("some of Poland is
                          reachable: 88.7 % ..."), null for a point
``scenarios``             the same verdict fields for each further scenario,
                          with ``scenario`` (label) and ``from``
========================  ==================================================

A survey object (``"kind": "survey"``) has ``id, file, source, text,
system, min_km, max_km, from, as_of``, ``places`` (one object per place and
scenario: ``scenario``, ``query`` (the place as asked for, when it was
asked for by name), ``name, country, lat, lon, nearest_km, farthest_km,
status, margin_km, via``) and ``territories`` (``scenario, iso_a3, name,
share, error, area_km2``).

Flat rows (``georange check --format csv`` and ``--format geojson``): one
row per claim (its main launch), then one per survey place and scenario;
the columns are :data:`FLAT_COLUMNS`, in that order:

==========================  ================================================
``kind``, ``id``, ``file``  as in JSON
``scenario``, ``from``      the launch scenario's label and its sources
                            (joined with ``"; "``)
``place``, ``place_name``,  the place as written (a survey's place asked
                            for by name too; empty for a set), resolved,
``country``, ``lat``,       and its coordinates in degrees
``lon``
``system``, ``min_km``,     the system and figures; ``min_km_low``,
``max_km``, ...             ``min_km_high``, ``max_km_low``, ``max_km_high``
                            their uncertainty intervals
``expect``, ``status``,     as in JSON (survey rows: ``expect`` is empty and
``holds``, ...              ``holds`` null; likewise the claim-only fields)
``outcome``                 what ``expect`` is held to: the time verdict of a
                            claim that states a time, else the status
``earth_rotation``          whether the reach is on the turning Earth
``minutes_stated``,         a stated flight time as written and the interval
``minutes_low``,            it means (minutes), and the time verdict in words
``minutes_high``,           (``timing.why`` in JSON); empty for other claims
``time_why``
``robust_to_min_km``,       ``robust_by_figure`` flattened
``robust_to_max_km``
``coverage_sites_reachable``, ``coverage_sites``: ``coverage_sites`` flattened
``cities_reachable``,       gazetteer cities and their population in the
``population_reachable``,   reachable zone, the dead zone, beyond and out of
... ``_dead_zone``,         band (``mixed``), for the main launch (null when
``_beyond``,                not computed: ``georange check --no-population``)
``_out_of_band``
``other_scenarios``         the claim's further scenarios, e.g.
                            ``"Krichev base: too_close, holds"``, joined with
                            ``"; "``
``text``, ``source_*``      the claim in words; source article, date, outlet
==========================  ================================================

Absent text is ``""``; absent numbers and booleans are null (an empty cell
in CSV). CSV writes booleans as ``true``/``false`` and floats at full
precision; GeoJSON puts each row at its place as a Point ``[lon, lat]``
(RFC 7946), with the other columns as properties. :func:`from_csv` and
:func:`from_geojson` give the rows back exactly as :func:`flat_records`
made them. Survey territories are in JSON only.

Floats are kept at full precision in JSON, CSV and GeoJSON; the table and
Markdown round distances to 0.1 km and shares to 0.1 %.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
from collections.abc import Sequence
from typing import Any

from geo.analysis.bands import km_text
from geo.analysis.population import ZONE_NAMES
from geo.analysis.status import STATUSES, Status
from geo.claims.model import Claim, Survey
from geo.claims.verdicts import ClaimResult, SurveyResult, Verdict
from geo.errors import InputFileError
from geo.outputs.tables import point_features
from geo.reference.borders import borders_data, borders_note
from geo.reference.names import as_asked

__all__ = [
    "FLAT_COLUMNS",
    "claim_record",
    "flat_records",
    "from_csv",
    "from_geojson",
    "report_title",
    "summary_line",
    "survey_record",
    "to_csv",
    "to_geojson",
    "to_json",
    "to_markdown",
    "to_table",
]


def _num(x: float | None) -> float | None:
    return None if x is None or not math.isfinite(x) else float(x)


def _verdict_fields(v: Verdict) -> dict[str, Any]:
    crit = v.critical
    cov = v.coverage
    return {
        "status": v.status,
        "holds": v.holds,
        "nearest_km": _num(v.nearest_km),
        "farthest_km": _num(v.farthest_km),
        "deciding_km": _num(v.deciding_km),
        "deciding_figure": v.deciding_figure,
        "via": v.via,
        "margin_km": _num(v.margin_km),
        "critical_km": crit.value_km if crit else None,
        "critical_figure": crit.figure if crit else None,
        "critical_holds_if": crit.holds_if if crit else None,
        "critical": {
            k: ({"value_km": fl.value_km, "holds_if": fl.holds_if} if fl else None) for k, fl in v.flips.items()
        },
        "critical_text": crit.describe(v.holds) if crit else "no value of either figure flips the verdict",
        "robust": v.robust,
        "robust_by_figure": dict(v.robust_by_figure),
        "coverage": cov.share,
        "coverage_error": cov.error if cov.share is not None else None,
        "coverage_sites": [cov.points_reachable, cov.points] if cov.points else None,
        "population": v.population.record() if v.population else None,
        "area": _area_fields(v),
        "outcome": v.outcome,
        "timing": _timing_fields(v),
    }


def _timing_fields(v: Verdict) -> dict[str, Any] | None:
    """Return a timed claim's outcome: the time verdict, why, and the flight band (None for other claims)."""
    t = v.timing
    if t is None:
        return None
    return {"verdict": t.verdict.value, "why": t.why, "robust": t.robust, "flight": t.flight.record()}


def _area_fields(v: Verdict) -> dict[str, Any] | None:
    """Return an area target's outcome: all of it reachable, the share of its area and its bound (None for a point)."""
    a = v.area
    if a is None:
        return None
    return {"all_reachable": a.all_reachable, "share": a.share, "share_error": a.share_error,
            "area_km2": a.area_km2, "text": a.describe()}


def _area_cell(v: Verdict) -> str:
    """Return the coverage cell of an area target: ``all of it``, ``88.7 % of it``, ``none of it``."""
    a = v.area
    assert a is not None
    if a.status != Status.REACHABLE:
        return "none of it"
    return "all of it" if a.all_reachable else f"{100 * a.share:.1f} % of it"


def claim_record(result: ClaimResult) -> dict[str, Any]:
    """Return the JSON object of one claim result (see the module docstring)."""
    c = result.claim
    record: dict[str, Any] = {
        "kind": "claim",
        "id": c.id,
        "file": c.file,
        "source": {"article": c.source.article, "date": c.source.date, "outlet": c.source.outlet},
        "text": c.text,
        "system": c.system_name,
        "place": c.place.query,
        "place_name": c.place.name,
        "lat": c.place.lat,
        "lon": c.place.lon,
        "country": c.place.country,
        "from": list(c.launch.specs),
        "borders": c.borders,
        "border_src": borders_data(c.borders),
        "earth_rotation": c.earth_rotation,
        "expect": c.expect,
        "minutes": None if c.minutes is None else {"stated": c.minutes.text, "low_min": c.minutes.low_s / 60,
                                                   "high_min": c.minutes.high_s / 60},
        "min_km": c.min_km.value_km,
        "max_km": c.max_km.value_km,
        "min_km_interval": [c.min_km.low_km, c.min_km.high_km],
        "max_km_interval": [c.max_km.low_km, c.max_km.high_km],
    }
    record.update(_verdict_fields(result.verdict))
    record["scenarios"] = [
        {"scenario": v.scenario.label, "from": list(v.scenario.specs), **_verdict_fields(v)} for v in result.scenarios
    ]
    return record


def survey_record(result: SurveyResult) -> dict[str, Any]:
    """Return the JSON object of one survey result."""
    s = result.survey
    cols = ["scenario", "name", "country", "lat", "lon", "min_km", "max_km", "status", "margin_km", "via"]
    if "query" in result.places.columns:  # places asked for by name: the user's spelling, beside the name
        cols.insert(1, "query")
    from geo.analysis.areas import AREA_COLUMNS

    cols += [c for c in AREA_COLUMNS if c in result.places.columns]  # area targets among the places
    frame = result.places[cols].rename(columns={"min_km": "nearest_km", "max_km": "farthest_km"})
    places = [{k: _plain(v) for k, v in row.items()} for row in frame.to_dict(orient="records")]
    return {
        "kind": "survey",
        "id": s.id,
        "file": s.file,
        "source": {"article": s.source.article, "date": s.source.date, "outlet": s.source.outlet},
        "text": s.text,
        "system": s.system_name,
        "min_km": s.min_km.value_km,
        "max_km": s.max_km.value_km,
        "from": list(s.launch.specs),
        "borders": s.borders,
        "border_src": borders_data(s.borders),
        "earth_rotation": s.earth_rotation,
        "as_of": s.as_of.isoformat() if s.as_of else None,
        "places": places,
        "territories": [{k: _plain(v) for k, v in r.items()} for r in result.territories.to_dict(orient="records")],
        "times": None if result.times is None else [
            {k: _num(v) if isinstance(v, float) else _plain(v) for k, v in r.items()}
            for r in result.times.to_dict(orient="records")],
        "times_against": None if s.times_against is None else s.times_against.label,
    }


def _plain(value: Any) -> Any:
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def to_json(claims: Sequence[ClaimResult], surveys: Sequence[SurveyResult] = ()) -> str:
    """Return the JSON report (an array of claim, then survey objects)."""
    records = [claim_record(r) for r in claims] + [survey_record(s) for s in surveys]
    return json.dumps(records, ensure_ascii=False, indent=1) + "\n"


# ---------------------------------------------------------------------------
# Flat rows: CSV and GeoJSON

FLAT_COLUMNS: dict[str, type] = {
    "kind": str, "id": str, "file": str, "scenario": str, "from": str, "borders": str, "border_src": str,
    "place": str, "place_name": str, "country": str, "lat": float, "lon": float,
    "system": str, "min_km": float, "max_km": float,
    "min_km_low": float, "min_km_high": float, "max_km_low": float, "max_km_high": float,
    "expect": str, "status": str, "outcome": str, "holds": bool, "earth_rotation": bool,
    "minutes_stated": str, "minutes_low": float, "minutes_high": float, "time_why": str,
    "nearest_km": float, "farthest_km": float, "deciding_km": float, "deciding_figure": str, "via": str,
    "margin_km": float,
    "critical_km": float, "critical_figure": str, "critical_holds_if": str, "critical_text": str,
    "robust": bool, "robust_to_min_km": bool, "robust_to_max_km": bool,
    "coverage": float, "coverage_error": float, "coverage_sites_reachable": int, "coverage_sites": int,
    "cities_reachable": int, "population_reachable": int, "cities_dead_zone": int, "population_dead_zone": int,
    "cities_beyond": int, "population_beyond": int, "cities_out_of_band": int, "population_out_of_band": int,
    "other_scenarios": str,
    "text": str, "source_article": str, "source_date": str, "source_outlet": str,
}
"""The flat columns of claims and survey places, in order, with their types (see the module docstring)."""

_SPECS_SEP = "; "


def _typed(record: dict[str, Any]) -> dict[str, Any]:
    """Put a flat row in column order with each value of its column's type ("" for absent text)."""
    out: dict[str, Any] = {}
    for key, kind in FLAT_COLUMNS.items():
        v = _plain(record.get(key))
        if kind is str:
            out[key] = "" if v is None else str(v)
        elif v is None:
            out[key] = None
        elif kind is float:
            out[key] = _num(float(v))
        else:
            out[key] = kind(v)
    return out


def _flat_figures(record: dict[str, Any]) -> dict[str, Any]:
    return {
        "min_km": record["min_km"], "max_km": record["max_km"],
        "min_km_low": record["min_km_interval"][0], "min_km_high": record["min_km_interval"][1],
        "max_km_low": record["max_km_interval"][0], "max_km_high": record["max_km_interval"][1],
        "source_article": record["source"]["article"], "source_date": record["source"]["date"],
        "source_outlet": record["source"]["outlet"],
    }


def _flat_claim(result: ClaimResult) -> dict[str, Any]:
    r = claim_record(result)
    sites = r["coverage_sites"] or [None, None]
    others = _SPECS_SEP.join(
        f"{v.scenario.label}: {v.outcome}, {'holds' if v.holds else 'fails'}" for v in result.scenarios
    )
    return _typed({
        **r,
        **_flat_figures(r),
        "scenario": result.verdict.scenario.label,
        "from": _SPECS_SEP.join(r["from"]),
        "robust_to_min_km": r["robust_by_figure"].get("min_km"),
        "robust_to_max_km": r["robust_by_figure"].get("max_km"),
        "coverage_sites_reachable": sites[0],
        "coverage_sites": sites[1],
        **_flat_population(result.verdict),
        "other_scenarios": others,
        "minutes_stated": (r["minutes"] or {}).get("stated"),
        "minutes_low": (r["minutes"] or {}).get("low_min"),
        "minutes_high": (r["minutes"] or {}).get("high_min"),
        "time_why": (r["timing"] or {}).get("why"),
    })


def _flat_population(v: Verdict) -> dict[str, int | None]:
    p = v.population
    out: dict[str, int | None] = {}
    columns = ((Status.REACHABLE, "reachable"), (Status.TOO_CLOSE, "dead_zone"), (Status.TOO_FAR, "beyond"),
               (Status.MIXED, "out_of_band"))
    for status, column in columns:
        out[f"cities_{column}"] = p.cities[status] if p else None
        out[f"population_{column}"] = p.population[status] if p else None
    return out


def _flat_survey(result: SurveyResult) -> list[dict[str, Any]]:
    s = result.survey
    r = survey_record(result)
    specs = {sc.label: _SPECS_SEP.join(sc.specs) for sc in (s.launch, *s.scenarios)}
    common = {**{k: r[k] for k in ("kind", "id", "file", "text", "system", "borders", "border_src")},
              **_flat_figures({
        **r, "min_km_interval": [s.min_km.low_km, s.min_km.high_km],
        "max_km_interval": [s.max_km.low_km, s.max_km.high_km]})}
    return [
        _typed({**common, **{k: v for k, v in p.items() if k != "query"}, "place": p.get("query") or "",
                "place_name": p["name"], "from": specs.get(p["scenario"], "")})
        for p in r["places"]
    ]


def flat_records(claims: Sequence[ClaimResult], surveys: Sequence[SurveyResult] = ()) -> list[dict[str, Any]]:
    """Return one flat row per claim, then one per survey place and scenario (keys :data:`FLAT_COLUMNS`)."""
    return [_flat_claim(r) for r in claims] + [row for s in surveys for row in _flat_survey(s)]


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    return str(value)


def to_csv(claims: Sequence[ClaimResult], surveys: Sequence[SurveyResult] = ()) -> str:
    """Return the flat rows as CSV with a header row (see the module docstring)."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(FLAT_COLUMNS)
    for row in flat_records(claims, surveys):
        w.writerow([_cell(v) for v in row.values()])
    return buf.getvalue()


def to_geojson(claims: Sequence[ClaimResult], surveys: Sequence[SurveyResult] = ()) -> str:
    """Return the flat rows as an RFC 7946 FeatureCollection of Points at the places, one feature per line."""
    features = []
    for row in flat_records(claims, surveys):
        props = {k: v for k, v in row.items() if k not in ("lat", "lon")}
        geometry = {"type": "Point", "coordinates": [row["lon"], row["lat"]]}
        feature = {"type": "Feature", "geometry": geometry, "properties": props}
        features.append(json.dumps(feature, ensure_ascii=False, allow_nan=False))
    body = ",\n".join(features)
    return '{"type": "FeatureCollection", "features": [\n' + body + ("\n" if features else "") + "]}\n"


def _parse_cell(text: str, kind: type, where: str) -> Any:
    if kind is str:
        return text
    if text == "":
        return None
    if kind is bool:
        if text not in ("true", "false"):
            raise InputFileError(f"{where}: {text!r} is not true or false")
        return text == "true"
    try:
        return kind(text)
    except ValueError:
        raise InputFileError(f"{where}: {text!r} is not {'an integer' if kind is int else 'a number'}") from None


def from_csv(text: str, *, where: str = "CSV") -> list[dict[str, Any]]:
    """Return the flat rows written by :func:`to_csv`, typed as :data:`FLAT_COLUMNS` says.

    Raises
    ------
    InputFileError
        If a column of :data:`FLAT_COLUMNS` is missing, a row has the wrong
        number of fields, or a cell does not parse as its column's type.
    """
    try:
        rows = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        raise InputFileError(f"{where}: not valid CSV: {exc}") from exc
    header = rows[0] if rows else []
    missing = [c for c in FLAT_COLUMNS if c not in header]
    if missing:
        raise InputFileError(f"{where}: missing columns {', '.join(missing)}")
    out = []
    for n, row in enumerate(rows[1:], start=2):
        if len(row) != len(header):
            raise InputFileError(f"{where}, row {n}: {len(row)} fields, expected {len(header)} as in the header")
        cells = dict(zip(header, row, strict=True))
        out.append({k: _parse_cell(cells[k], t, f"{where}, row {n}, column {k}") for k, t in FLAT_COLUMNS.items()})
    return out


def from_geojson(text: str, *, where: str = "GeoJSON") -> list[dict[str, Any]]:
    """Return the flat rows written by :func:`to_geojson` (``lat``, ``lon`` from the Point geometries).

    Raises
    ------
    InputFileError
        If the text is not a FeatureCollection of Point features with object properties.
    """
    out = []
    for n, (props, lon, lat) in enumerate(point_features(text, where=where, nulls=False)):
        try:
            out.append(_typed({**props, "lon": lon, "lat": lat}))
        except (TypeError, ValueError) as exc:
            raise InputFileError(f"{where}, feature {n}: a property has the wrong type: {exc}") from exc
    return out


def summary_line(claims: Sequence[ClaimResult]) -> str:
    """Return e.g. ``"12 claims: 11 hold, 1 fails; 3 not robust to the figures' uncertainty"``."""
    held = sum(r.holds for r in claims)
    failed = len(claims) - held
    fragile = sum(not r.verdict.robust for r in claims)
    plural = "s" if len(claims) != 1 else ""
    text = (f"{len(claims)} claim{plural}: {held} hold{'s' if held == 1 else ''}, "
            f"{failed} fail{'s' if failed == 1 else ''}")
    return text + (f"; {fragile} not robust to the uncertainty of the figures" if fragile else "")


def _range_text(v: Verdict) -> str:
    return f"{v.nearest_km:,.1f}-{v.farthest_km:,.1f}"


def _cells(v: Verdict) -> list[str]:
    crit = v.critical
    crit_text = f"{crit.figure} {crit.holds_if} {crit.value_km:,.1f}" if crit else "-"
    cov = _area_cell(v) if v.area is not None else v.coverage.describe() or "-"
    return [
        v.outcome,
        "holds" if v.holds else "FAILS",
        _range_text(v),
        "-" if v.timing is not None else f"{v.margin_km:,.1f}",  # a km margin says nothing about a time
        crit_text,
        "yes" if v.robust else "no",
        cov,
    ]


def _short(text: str, limit: int = 32) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _align(rows: list[list[str]], numeric: set[int]) -> list[str]:
    width = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    out = []
    for n, r in enumerate(rows):
        cells = enumerate(zip(r, width, strict=True))
        line = "  ".join(c.rjust(w) if i in numeric and n else c.ljust(w) for i, (c, w) in cells)
        out.append(line.rstrip())
        if n == 0:
            out.append("  ".join("-" * w for w in width))
    return out


def to_table(claims: Sequence[ClaimResult], surveys: Sequence[SurveyResult] = ()) -> str:
    """Return an aligned text report: one row per claim and scenario, then the surveys."""
    head = ["id", "place", "country", "from", "expect", "status", "verdict", "distance km", "margin km",
            "critical (holds if)", "robust", "coverage"]
    rows = [head]
    for r in claims:
        c = r.claim
        rows.append([c.id, c.place.name, c.place.country or "-", _short(c.launch.label), c.expect,
                     *_cells(r.verdict)])
        for v in r.scenarios:
            rows.append(["", "", "", f"  {v.scenario.label}", "", *_cells(v)])
    lines: list[str] = []
    if claims:
        views = "; ".join(borders_note(b) for b in dict.fromkeys(r.claim.borders for r in claims))
        lines += [f"Claims (WGS84 geodesics; distance = nearest-farthest launch point; {views})", ""]
        lines += _align(rows, {7, 8})
        turning = [r.claim.id for r in claims if r.claim.earth_rotation]
        if turning:
            lines += ["", f"{', '.join(turning)}: {ROTATION_NOTE}"]
        lines += _timing_lines(claims)
        lines += _population_lines(claims)
        lines += ["", summary_line(claims)]
    for s in surveys:
        lines += ["", *_survey_lines(s)]
    return "\n".join(lines) + "\n"


ROTATION_NOTE = ("on the turning Earth: the maximum read as a ballistic missile's minimum-energy range over a "
                 "still Earth, its reach toward each place from the launch direction")


def _timing_lines(claims: Sequence[ClaimResult]) -> list[str]:
    """Return the stated flight times judged, one line per claim and scenario (none without a timed claim)."""
    lines = [f"  {r.claim.id}: {v.timing.why}" for r in claims for v in (r.verdict, *r.scenarios)
             if v.timing is not None]
    if not lines:
        return []
    return ["", "Flight times (two-body flight on the turning WGS84 Earth; boost band added; see georange flight):",
            *lines]


def _population_lines(claims: Sequence[ClaimResult]) -> list[str]:
    """Return the population-in-range lines, once per launch and band of the claims' main launches."""
    seen: dict[tuple[str, float, float], Verdict] = {}
    for r in claims:
        v = r.verdict
        if v.population is not None:
            seen.setdefault((r.claim.launch.label, r.claim.band.min_km, r.claim.band.max_km), v)
    if not seen:
        return []
    lines = ["", "Population in range (GeoNames cities of 15,000 people or more, by zone of the band):"]
    for (label, lo, hi), v in seen.items():
        assert v.population is not None
        lines.append(f"  {km_text(lo)}-{km_text(hi)} km from {label}:")
        lines += [f"    {line}" for line in v.population.lines()]
    return lines


def _survey_heading(s: Survey) -> str:
    """Return ``Survey ID: TEXT`` for a survey of a file, ``Survey: QUESTION`` for one asked by options or in Python."""
    if not s.file:
        return f"Survey: {s.text or s.question()}"
    return f"Survey {s.id}: {s.text}" if s.text else f"Survey {s.id}"


def _system_text(entry: Claim | Survey) -> str:
    """Name the system that brought the figures, and how its name was read if it was asked for by another."""
    if not entry.system_name:
        return ""
    return f" ({entry.system_name}" + (f"; {entry.system_alias}" if entry.system_alias else "") + ")"


def report_title(claims: Sequence[ClaimResult], surveys: Sequence[SurveyResult] = ()) -> str:
    """Return the report's title: "Claim check" for claim files; the question when everything was asked by options."""
    entries = [r.claim for r in claims] + [s.survey for s in surveys]
    if entries and not any(e.file for e in entries):
        return "; ".join(dict.fromkeys(e.question() for e in entries))
    return "Claim check"


def _survey_lines(result: SurveyResult) -> list[str]:
    s = result.survey
    span = f"  {km_text(s.min_km.value_km)}-{km_text(s.max_km.value_km)} km"
    turning = f"; {ROTATION_NOTE}" if s.earth_rotation else ""
    lines = [_survey_heading(s), span + _system_text(s) + f"; {borders_note(s.borders)}{turning}"]
    for label, frame in result.places.groupby("scenario", sort=False):
        for status in STATUSES:
            sel = frame[frame["status"] == status]
            if len(sel):
                asked = sel["query"] if "query" in sel.columns else sel["name"]
                names = ", ".join(f"{as_asked(n, q)}{', ' + c if c else ''} ({d:,.0f})"
                                  for n, q, c, d in zip(sel["name"], asked, sel["country"], sel["min_km"], strict=True))
                lines.append(f"  from {label}: {status} {len(sel)}: {names}")
    if len(result.territories):
        for label, frame in result.territories.groupby("scenario", sort=False):
            hit = frame[frame["share"] > 0].sort_values("share", ascending=False)
            text = ", ".join(f"{n} {100 * v:.1f} %" for n, v in zip(hit["name"], hit["share"], strict=True))
            lines.append(f"  from {label}: territory in the reachable zone: {text or 'none'}")
    return lines + _times_lines(result)


def _times_lines(result: SurveyResult) -> list[str]:
    """Return a survey's flight times: per scenario the places' bands, and against another launch what is saved."""
    t = result.times
    if t is None:
        return []
    against = result.survey.times_against
    lines = ["  flight times, minutes: the least-energy flight through space plus a boost of 1.5-4.5 min "
             "(two-body flight on the turning WGS84 Earth, from the launch point nearest each place, or from the "
             "launch's points at the minimum range when that one is nearer)"]
    for label, frame in t.groupby("scenario", sort=False):
        timed = frame[frame["total_min_low"].notna()]
        cells = []
        for row in timed.itertuples():
            place = f"{row.name}, {row.country}" if row.country else str(row.name)
            cell = f"{place} {row.total_min_low:.1f}-{row.total_min_high:.1f}"
            if against is not None and math.isfinite(row.saved_min):
                cell += (" (about the same)" if abs(row.saved_min) < 0.05 else
                         f" ({abs(row.saved_min):.1f} {'sooner' if row.saved_min > 0 else 'later'})")
            cells.append(cell)
        untimed = len(frame) - len(timed)
        tail = (f"; no flight to {untimed} (out of reach, nearer than the minimum range or in the launch area)"
                if untimed else "")
        lines.append(f"  from {label}: {', '.join(cells) or 'none'}{tail}")
        if against is not None:
            saved = timed["saved_min"].dropna()
            sooner = saved[saved >= 0.05]  # shown to a tenth of a minute: less is "about the same"
            if len(saved):
                lines.append(
                    f"  from {label} against {against.label}: sooner for {len(sooner)} of {len(saved)} places"
                    + (f", by {sooner.min():.1f} to {sooner.max():.1f} min (median {sooner.median():.1f})"
                       if len(sooner) else ""))
    if against is not None:
        frame = t.drop_duplicates("name")
        ok = frame[frame["against_min_low"].notna()]
        lines.append(f"  from {against.label}: " + ", ".join(
            f"{n}{', ' + c if c else ''} {lo:.1f}-{hi:.1f}" for n, c, lo, hi in
            zip(ok["name"], ok["country"], ok["against_min_low"], ok["against_min_high"], strict=True)))
    return lines


# What CommonMark would read as markup inside a line: backslash, code, emphasis, links, table cells; "<" only where
# it opens HTML or an autolink (a letter, "/", "!" or "?" follows: "<=" stays); an underscore only where it can open
# or close emphasis (not inside a word such as too_close); an ampersand only where it would start an entity.
_MD_INLINE = re.compile(r"[\\`*\[\]|]|<(?=[A-Za-z/!?])|(?<![0-9A-Za-z])_|_(?![0-9A-Za-z])|&(?=#?[0-9A-Za-z]+;)")
# What would start a block at the beginning of a paragraph: a heading, quote, list item, rule or setext line.
_MD_BLOCK = re.compile(r"^(?:[#>+=~-]|\d+(?=[.)]))")


def _md(text: str, *, block: bool = False) -> str:
    """Escape text for a Markdown table cell or line (``block``: for the start of a paragraph), on one line.

    Only what Markdown would read as markup is escaped, with backslashes, so
    the raw report stays readable and any renderer shows the text as written.
    """
    out = _MD_INLINE.sub(lambda m: "\\" + m.group(0), " ".join(text.split()))
    if block:
        m = _MD_BLOCK.match(out)
        if m:
            out = out[: m.end()] + "\\" + out[m.end():] if m.group(0)[0].isdigit() else "\\" + out
    return out


def to_markdown(claims: Sequence[ClaimResult], surveys: Sequence[SurveyResult] = ()) -> str:
    """Return a Markdown report: a summary table, then each claim with its source and numbers."""
    lines = [f"# {_md(report_title(claims, surveys))}", ""]
    if claims or not surveys:
        lines += [summary_line(claims) if claims else "No claims.", ""]
    if claims:
        lines += ["| id | place | country | from | expect | status | verdict | distance km | margin km | critical "
                  "| robust | coverage |",
                  "|---|---|---|---|---|---|---|---:|---:|---|---|---|"]
        for r in claims:
            c = r.claim
            for label, v in [(c.launch.label, r.verdict)] + [(v.scenario.label, v) for v in r.scenarios]:
                cells = _cells(v)
                row = [_md(x) for x in [c.id, c.place.name, c.place.country or "-", label, c.expect, *cells]]
                row[6] = "holds" if v.holds else "**fails**"  # markup of our own, not text to escape
                lines.append("| " + " | ".join(row) + " |")
        lines.append("")
        for r in claims:
            c, v = r.claim, r.verdict
            lines += [f"## {_md(c.id)}", ""]
            if c.text:
                lines += [_md(c.text, block=True), ""]
            if c.source.cite():
                lines += [f"Source: {_md(c.source.cite())}", ""]
            figures = f"min {c.min_km.describe()}, max {c.max_km.describe()}"
            if c.earth_rotation:
                figures += f" ({ROTATION_NOTE})"
            lines += [
                f"- Range: {_md(figures + _system_text(c))}",
                f"- Borders: {_md(borders_note(c.borders))}",
                f"- Place: {_md(c.place.name)} ({c.place.lat:.4f}, {c.place.lon:.4f}); "
                f"from {_md(c.launch.label)} it lies {v.nearest_km:,.1f} to {v.farthest_km:,.1f} km away",
                (f"- Flight time {_md(c.minutes.text)}: {_md(v.outcome)}; expected {_md(c.expect)}: "
                 f"{'holds' if v.holds else '**fails**'} (range status {_md(v.status)})"
                 if c.minutes is not None else
                 f"- Status {_md(v.outcome)}; expected {_md(c.expect)}: {'holds' if v.holds else '**fails**'}, "
                 f"margin {v.margin_km:,.1f} km ({_md(v.deciding_figure)} against {v.deciding_km:,.1f} km "
                 f"via {_md(v.via)})"),
                f"- Critical value: {_md(v.critical.describe(v.holds)) if v.critical else 'none: no value flips it'}",
                f"- Robust over the uncertainty of the figures: {'yes' if v.robust else 'no'}"
                + "".join(f"; {_md(k)} alone: {'yes' if ok else 'no'}" for k, ok in v.robust_by_figure.items()),
            ]
            if v.timing is not None:
                lines.append(f"- Flight time: {_md(v.timing.why)}; robust over the maximum range's uncertainty: "
                             f"{'yes' if v.timing.robust else 'no'}")
            if v.coverage.describe():
                lines.append(f"- Reachable from {v.coverage.describe()} of the launch")
            if v.area is not None:
                lines.append(f"- Area: {_md(v.area.describe())}")
            if v.population is not None:
                lines.append("- Population in range (GeoNames cities of 15,000 or more): " + "; ".join(
                    f"{_md(ZONE_NAMES[k])} {v.population.cities[k]:,} cities, {v.population.population[k]:,} people"
                    for k in ZONE_NAMES))
            for sv in r.scenarios:
                verdict = "holds" if sv.holds else "**fails**"
                lines.append(f"- Scenario {_md(sv.scenario.label)}: {_md(sv.outcome)}, {verdict}, "
                             f"{_range_text(sv)} km, margin {sv.margin_km:,.1f} km"
                             + (f"; {_md(sv.timing.why)}" if sv.timing is not None else ""))
            lines.append("")
    for s in surveys:
        lines += [f"## Survey {_md(s.survey.id)}" if s.survey.file else "## Survey", ""]
        if s.survey.text:
            lines += [_md(s.survey.text, block=True), ""]
        if s.survey.source.cite():
            lines += [f"Source: {_md(s.survey.source.cite())}", ""]
        lines += [f"- {_md(x.strip())}" for x in _survey_lines(s)[1:]] + [""]
    return "\n".join(lines).rstrip() + "\n"
