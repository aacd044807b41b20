"""Outputs made from options are titled from their question, never from code (issue: words that never mislead).

A map, report, table or CSV made with ``--from`` and a range says what was
asked: the system with the figures it brought, the band and the launch; a
system asked for by another name says once how the name was read; option
sets (``places --sets``, the EU group) and the small words (``1 place``,
``wrote N rows``) read as an analyst would write them.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re

import pytest

from geo.analysis.bands import km_text
from geo.cli.main import main
from geo.reference.borders import borders_note
from geo.reference.groups import describe_sets, load_groups, resolve_places
from geo.reference.systems import lookup_system

RECOGNISED = borders_note("recognised")  # the border view every title names

ASK = ["--from", "Kaliningrad", "--system", "iskander", "--places", "Berlin; Warsaw"]
ISKANDER = lookup_system("iskander-m")
SPAN = (f"{km_text(ISKANDER.min_km.value_km)}-{km_text(ISKANDER.max_km.value_km)} km"  # the published figures
        if ISKANDER.min_km.value_km else f"up to {km_text(ISKANDER.max_km.value_km)} km")
QUESTION = f"Iskander-M, {SPAN}, from Kaliningrad (RU-KGD), Russia"

# The EU's members today, from the EU's own list of its 27 countries (european-union.europa.eu, EU countries).
EU_TODAY = {"AUT", "BEL", "BGR", "HRV", "CYP", "CZE", "DNK", "EST", "FIN", "FRA", "DEU", "GRC", "HUN", "IRL",
            "ITA", "LVA", "LTU", "LUX", "MLT", "NLD", "POL", "PRT", "ROU", "SVK", "SVN", "ESP", "SWE"}


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_a_map_from_options_is_titled_from_its_question(capsys, tmp_path):
    html, png, svg = tmp_path / "m.html", tmp_path / "m.png", tmp_path / "m.svg"
    code, out, err = run(capsys, "map", *ASK, "-o", str(html), "--png", str(png), "--svg", str(svg))
    assert (code, out) == (0, "")
    assert err == f"georange map: wrote {html} and {png} and {svg}: {QUESTION}\n"
    page = html.read_text(encoding="utf-8")
    assert f"<title>{QUESTION}</title>" in page
    assert json.dumps(f"<h1>{QUESTION}</h1>")[1:-1].replace("<", "\\u003c").replace(">", "\\u003e") in page
    assert "2 places surveyed, 2 reachable" in page and "no claims" not in page
    html2 = tmp_path / "m2.html"
    assert run(capsys, "map", "--from", "BLR", "--max-km", "500", "--places", "Warsaw; Berlin", "-q",
               "-o", str(html2))[0] == 0
    assert "2 places surveyed, 1 reachable, 1 too far" in html2.read_text(encoding="utf-8")  # words, not codes
    from PIL import Image

    assert Image.open(png).text["Title"] == QUESTION  # the PNG's title metadata
    assert f"<dc:title>{QUESTION}</dc:title>" in svg.read_text(encoding="utf-8")
    for text in (page, svg.read_text(encoding="utf-8")):
        assert "<python>" not in text and "&lt;python&gt;" not in text and "command-line" not in text


def test_a_report_from_options_names_the_system_its_figures_and_the_alias_once(capsys):
    code, out, _ = run(capsys, "check", *ASK)
    assert code == 0
    figures = f"{km_text(ISKANDER.min_km.value_km)}-{km_text(ISKANDER.max_km.value_km)} km"
    assert out.splitlines()[1:3] == [f"Survey: {QUESTION}",
                                     f"  {figures} (Iskander-M; iskander → Iskander-M); {RECOGNISED}"]
    assert out.count("iskander → Iskander-M") == 1
    code, out, _ = run(capsys, "check", *ASK, "--format", "markdown")
    assert out.startswith(f"# {QUESTION}\n") and "No claims" not in out
    assert out.count("iskander → Iskander-M") == 1
    code, out, _ = run(capsys, "check", *ASK, "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [r["place_name"] for r in rows] == ["Berlin", "Warsaw"]
    assert {r["file"] for r in rows} == {""}  # asked on the command line: no file to name
    assert {r["id"] for r in rows} == {re.sub(r"[^0-9a-z]+", "-", QUESTION.casefold()).strip("-")}
    assert {r["id"] for r in rows} <= {"iskander-m-50-500-km-from-kaliningrad-ru-kgd-russia",
                                       "iskander-m-up-to-500-km-from-kaliningrad-ru-kgd-russia"}
    assert {r["text"] for r in rows} == {QUESTION} and {r["system"] for r in rows} == {"Iskander-M"}
    assert "<python>" not in out and "command-line" not in out


def test_a_claim_built_in_python_says_what_it_asks():
    import geo

    claim = geo.make_claim(place="Warsaw", expect="reachable", launch="Belarus", system="Oresjnik")
    assert claim.file == "" and claim.where == 'claim "claim"'
    assert claim.text == "Oreshnik, 700-5,000 km, from Belarus: Warsaw reachable"
    assert claim.system_alias == "Oresjnik → Oreshnik"
    exact = geo.make_claim(place="Warsaw", expect="reachable", launch="Belarus", system="oreshnik")
    assert exact.system_alias == ""  # the name as published, whatever the case: nothing to state
    survey = geo.make_survey(launch="BLR", max_km=500, places=["Warsaw"])
    assert survey.text == survey.question() == "up to 500 km from Belarus"


def test_the_reach_title_names_the_system_and_any_figure_given_beside_it(capsys):
    code, out, _ = run(capsys, "reach", *ASK, "--max-km", "600")
    assert code == 0
    assert out.splitlines()[0] == (
        f"Reach of Iskander-M, {'up to ' if not ISKANDER.min_km.value_km else km_text(ISKANDER.min_km.value_km) + '-'}"
        "600 km (iskander → Iskander-M; "
        f"max 600 km as given, published {km_text(ISKANDER.max_km.value_km)} km) "
        "from Kaliningrad (RU-KGD) (WGS84 geodesics; " + RECOGNISED + ")")
    code, out, _ = run(capsys, "reach", "--from", "BLR", "--system", "Oreshnik", "--place", "Berlin")
    assert out.splitlines()[0] == "Reach of Oreshnik, 700-5,000 km from Belarus (WGS84 geodesics; " + RECOGNISED + ")"
    assert out.splitlines()[-1] == "1 place: 1 reachable, 0 too_close, 0 too_far"  # not "1 places"


def test_output_rows_are_counted_in_the_report_of_what_was_written(capsys, tmp_path):
    out_csv = tmp_path / "o.csv"
    code, out, err = run(capsys, "reach", "--from", "BLR", "--max-km", "500", "--places", "nato-capitals",
                         "--format", "csv", "-o", str(out_csv))
    assert (code, out) == (0, "")
    n = len(list(csv.DictReader(io.StringIO(out_csv.read_text(encoding="utf-8")))))
    assert n == 32 and err == f"georange reach: wrote 32 rows to {out_csv}\n"
    code, out, err = run(capsys, "reach", "--from", "BLR", "--max-km", "500", "--place", "Berlin", "-q",
                         "-o", str(tmp_path / "t.txt"))
    assert (code, out, err) == (0, "", "")


def test_the_eu_group_is_its_members_at_a_date():
    eu = load_groups()["eu"]
    assert set(eu.countries()) == EU_TODAY
    assert set(eu.countries(dt.date(2019, 6, 1))) == EU_TODAY | {"GBR"}  # before the United Kingdom left
    assert "GBR" not in eu.countries(dt.date(2020, 2, 1)) and "GBR" in eu.countries(dt.date(2020, 1, 31))
    assert "HRV" not in eu.countries(dt.date(2013, 6, 30)) and "HRV" in eu.countries(dt.date(2013, 7, 1))
    assert len(eu.countries(dt.date(1960, 1, 1))) == 6
    capitals = resolve_places("eu-capitals")
    assert len(capitals) == 27 and {"Berlin", "Warsaw", "Valletta", "Nicosia", "Dublin"} <= set(capitals["name"])
    assert "London" not in set(capitals["name"])
    assert "London" in set(resolve_places("eu-capitals", dt.date(2016, 6, 23))["name"])


def test_places_sets_lists_every_set_and_group_with_its_size(capsys):
    code, out, _ = run(capsys, "places", "--sets")
    assert code == 0
    rows = {line.split()[0]: line.split()[1:3] for line in out.splitlines()[2:]}
    assert rows["eu-capitals"] == ["places", "27"] and rows["eu"] == ["countries", "27"]
    assert rows["nato"] == ["countries", "32"] and rows["cities"][0] == "places"
    code, out, _ = run(capsys, "places", "--sets", "--format", "json")
    listed = {r["name"]: r for r in json.loads(out)}
    assert set(listed) == {s.name for s in describe_sets()}
    for name, record in listed.items():  # every listed set is one --places accepts, of the size listed
        if record["kind"] == "places":
            assert len(resolve_places(name)) == record["size"], name


@pytest.mark.parametrize("argv", [["places"], ["places", "Berlin", "--sets"]])
def test_places_needs_a_name_or_sets(capsys, argv):
    with pytest.raises(SystemExit) as info:
        main(argv)
    assert info.value.code == 2
    assert re.search(r"give a (place name|QUERY)", capsys.readouterr().err)


@pytest.mark.parametrize(("spec", "wanted"), [
    ("nato-capitols", "did you mean 'nato-capitals'"),
    ("europe-capitals", "'european-capitals'"),
    ("eu", "'eu' is a country group (European Union member states) for surveys' territories: its capitals are the "
           "place set 'eu-capitals'"),
    ("NATO", "its capitals are the place set 'nato-capitals'"),
])
def test_an_unknown_place_set_lists_the_sets(capsys, spec, wanted):
    code, out, err = run(capsys, "reach", "--from", "BLR", "--max-km", "500", "--places", spec)
    assert (code, out) == (2, "") and err.count("\n") == 1
    assert wanted in err
    if spec != "NATO" and spec != "eu":
        assert "eu-capitals" in err and "nato-capitals" in err  # the sets are listed


def test_a_group_name_as_one_place_is_the_place(capsys):
    code, out, _ = run(capsys, "reach", "--from", "BLR", "--max-km", "500", "--place", "eu", "--format", "csv")
    assert code == 0
    (row,) = list(csv.DictReader(io.StringIO(out)))
    assert (row["name"], row["country"], row["query"]) == ("Eu", "FR", "eu")  # the town in Normandy, asked for


def test_a_survey_keeps_the_spelling_each_place_was_asked_by(capsys):
    ask = ["check", "--from", "BLR", "--max-km", "500", "--places", "Kiew; Kijów; Warschau; Vilnius"]
    code, out, _ = run(capsys, *ask, "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [(r["place"], r["place_name"]) for r in rows] == [
        ("Kiew", "Kyiv"), ("Kijów", "Kyiv"), ("Warschau", "Warsaw"), ("Vilnius", "Vilnius")]
    code, out, _ = run(capsys, *ask)
    assert "Kyiv (Kiew), UA (87), Kyiv (Kijów), UA (87), Warsaw (Warschau), PL (147), Vilnius, LT (28)" in out
    code, out, _ = run(capsys, *ask, "--format", "json")
    (survey,) = json.loads(out)
    assert [p["query"] for p in survey["places"]] == ["Kiew", "Kijów", "Warschau", "Vilnius"]
    code, out, _ = run(capsys, "check", "--from", "BLR", "--max-km", "500", "--places", "eu-capitals",
                       "--format", "csv")
    assert {r["place"] for r in csv.DictReader(io.StringIO(out))} == {""}  # a set: nothing was spelt by the user


def test_a_failing_claim_names_the_system_that_brought_its_figures():
    import geo
    from geo.testing import failure_message

    claim = geo.make_claim(place="Berlin", expect="reachable", launch="Belarus", system="iskander")
    line = failure_message(geo.evaluate_claim(claim, coverage=False))
    figures = f"{km_text(ISKANDER.min_km.value_km)}-{km_text(ISKANDER.max_km.value_km)} km"
    assert line.startswith(f"Berlin from Belarus (Iskander-M, {figures}; iskander → Iskander-M): expected reachable, "
                           "got too_far: 663.9-1,297.5 km away, margin 163.9 km")
    plain = geo.make_claim(place="Berlin", expect="reachable", launch="Belarus", min_km=50, max_km=500)
    assert failure_message(geo.evaluate_claim(plain, coverage=False)).startswith(
        "Berlin from Belarus (50-500 km): expected reachable")
