"""Range figures as people write them (geo.reference.quantities): readings, conventions, units.

Expected values come from Python's own float() of a figure written the one
way it reads (``"1500.5"`` for ``1.500,5``), and the units from their
definitions: the international yard is 0.9144 m and the mile 1,760 yards
(1959), the nautical mile 1,852 m (1929), computed here with Decimal at 60
digits, which shares nothing with the library's Fractions.
"""

from __future__ import annotations

import decimal
from decimal import Decimal

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from geo.errors import GeoRangeError, InvalidRangeError
from geo.reference.quantities import CONVENTIONS, UNITS, read_convention, read_km, read_quantity

YARD_M = Decimal("0.9144")
MILE_KM = YARD_M * 1760 / 1000
NAUTICAL_MILE_KM = Decimal(1852) / 1000


def exact_km(number: str, km_per_unit: Decimal) -> float:
    """The float nearest to number x km_per_unit, from decimal arithmetic wide enough to be exact."""
    with decimal.localcontext() as ctx:
        ctx.prec = 60
        return float(Decimal(number) * km_per_unit)


# --- numbers that read two ways are refused, naming both readings -------------------------------------------

@pytest.mark.parametrize(("text", "readings"), [
    ("5.000", ("5 ('.' as the decimal mark)", "5000 ('.' grouping thousands)")),
    ("1.500", ("1.5 ('.' as the decimal mark)", "1500 ('.' grouping thousands)")),
    ("12,500", ("12.5 (',' as the decimal mark)", "12500 (',' grouping thousands)")),
    ("5,000", ("5 (',' as the decimal mark)", "5000 (',' grouping thousands)")),
    ("5 000", ("5000 (a space grouping thousands)", "two figures, 5 and 000")),
    ("5\u00a0000", ("5000 (a space grouping thousands)", "two figures, 5 and 000")),
    ("5'000", ("5000 (an apostrophe grouping thousands)", "5 (an apostrophe as the decimal mark)")),
    ("5\u2019000", ("5000 (an apostrophe grouping thousands)", "5 (an apostrophe as the decimal mark)")),
    ("2.000 km", ("2 ('.' as the decimal mark)", "2000 ('.' grouping thousands)")),
    ("1,125 miles", ("1.1250 (',' as the decimal mark)", "1125 (',' grouping thousands)")),
    ("-5.000", ("5 ('.' as the decimal mark)", "5000 ('.' grouping thousands)")),
])
def test_a_figure_of_two_readings_is_refused_naming_both(text, readings) -> None:
    with pytest.raises(InvalidRangeError) as info:
        read_km(text, hint="state it")
    message = str(info.value)
    assert "\n" not in message and message.startswith(repr(text))
    for reading in readings:
        assert reading in message
    assert "; write " in message and message.endswith(", or state it")


def test_the_advice_names_forms_that_read_one_way() -> None:
    """What the message says to write is accepted as the reading it names (1.125 is itself ambiguous)."""
    for text in ("5.000", "1,125", "12,500 km", "5'000 nmi", "999.999"):
        with pytest.raises(InvalidRangeError) as info:
            read_km(text)
        advice = str(info.value).split("; write ")[1]
        for form in advice.split(" or "):
            read_km(form)  # does not raise


@pytest.mark.parametrize(("text", "plain"), [
    ("700", "700"), ("700.5", "700.5"), ("2.5", "2.5"), ("1,6", "1.6"), ("2,5", "2.5"),
    ("1.500,5", "1500.5"), ("1,500.5", "1500.5"), ("5000", "5000"), ("0.500", "0.5"), ("0,750", "0.75"),
    ("1234.567", "1234.567"), ("1.234.567", "1234567"), ("1,234,567.25", "1234567.25"),
    ("12.345.678,9", "12345678.9"), ("1 500,5", "1500.5"), ("1'500.5", "1500.5"), ("5_000", "5000"),
    ("5e3", "5000"), ("1.5E+3", "1500"), ("+700", "700"), ("\u2212700", "-700"), ("  700  ", "700"),
    ("\u0667\u0660\u0660", "700"),  # Arabic-Indic digits
])
def test_a_figure_of_one_reading_is_read(text, plain) -> None:
    assert read_km(text) == float(plain)
    for mark in (".", ","):  # a stated convention does not change a figure that reads one way
        assert read_km(text, mark) == float(plain)


@pytest.mark.parametrize("text", ["1.2.3", "1,23,456", "12.34.567", "1.234,567.8", "5'5", "1_", "5.", ".5",
                                  "1..000", "1 000.000.5", "5 000 1"])
def test_malformed_numbers_are_refused(text) -> None:
    with pytest.raises(InvalidRangeError, match="is not a number"):
        read_km(text)


def test_words_and_non_finite_values() -> None:
    with pytest.raises(InvalidRangeError, match=r"^'far' is not a number of kilometres$"):
        read_km("far")
    with pytest.raises(InvalidRangeError, match=r"^'' is not a number of kilometres$"):
        read_km("")
    assert read_km("inf") == float("inf") and read_km("1e999") == float("inf")  # range checks refuse these
    assert read_km("nan") != read_km("nan")
    with pytest.raises(InvalidRangeError, match="100,000 digits and marks"):
        read_km("9" * 100_000)


# --- stated conventions ----------------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "comma", "point"), [
    ("5.000", "5000", "5"),
    ("2.000 km", "2000", "2"),
    ("1.500", "1500", "1.5"),
    ("12,500", "12.5", "12500"),
    ("5,000", "5", "5000"),
    ("5 000", "5000", "5000"),
    ("5'000", "5000", "5000"),
    ("1.125", "1125", "1.125"),
])
def test_a_stated_convention_picks_the_reading(text, comma, point) -> None:
    assert read_km(text, read_convention("1.234,5")) == float(comma)
    assert read_km(text, read_convention("1,234.5")) == float(point)


def test_miles_under_decimal_point_and_kilometres_under_decimal_comma() -> None:
    assert read_km("1,500 miles", ".") == exact_km("1500", MILE_KM)
    assert read_km("1,500 miles", ",") == exact_km("1.5", MILE_KM)
    assert read_km("2.000 km", ",") == 2000.0
    assert read_km("5.000 kilometer", ",") == 5000.0


def test_conventions_are_stated_by_example() -> None:
    assert {read_convention(t) for t in ("1.234,5", "1 234,5", "1\u00a0234,5", "Decimal-Comma")} == {","}
    assert {read_convention(t) for t in ("1,234.5", "1 234.5", "1'234.5", "decimal-point")} == {"."}
    assert set(CONVENTIONS.values()) == {".", ","}
    for bad in ("1.234.5", "comma", "", ",", "1,234,5"):
        with pytest.raises(InvalidRangeError, match="expected 1.234,5 .decimal comma. or 1,234.5"):
            read_convention(bad)


# --- units -----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("names", "km_per_unit"), [
    (("km", "KM", "kms", "kilometer", "Kilometer", "kilometers", "kilometre", "kilometres", "Kilometern", "км"),
     Decimal(1)),
    (("m", "metre", "metres", "meter", "meters", "Metern"), Decimal("0.001")),
    (("mi", "mile", "miles", "Miles", "mijl", "mijlen", "Meile", "Meilen", "mi."), MILE_KM),
    (("nmi", "NM", "nm", "nautical mile", "nautical miles", "Nautical  Miles", "zeemijl", "zeemijlen",
      "Seemeile", "Seemeilen"), NAUTICAL_MILE_KM),
])
def test_units_convert_exactly_from_their_definitions(names, km_per_unit) -> None:
    for name in names:
        for number in ("1", "800", "1500", "0.5", "2414.016"):
            assert read_km(f"{number} {name}") == exact_km(number, km_per_unit), (number, name)
        assert read_km(f"800{name}") == exact_km("800", km_per_unit)


def test_the_definitions() -> None:
    assert read_km("1 mi") == 1.609344 and read_km("1 nmi") == 1.852 and read_km("1000 m") == 1.0
    assert read_km("1 nmi") / read_km("1 mi") == pytest.approx(1.150779448, abs=1e-9)  # published ratio
    assert read_quantity("800 NM").unit == "nmi" and read_quantity("800").unit is None
    assert set(UNITS.values()) == {"km", "m", "mi", "nmi"}


def test_an_unknown_unit_is_named() -> None:
    with pytest.raises(InvalidRangeError, match=r"^'5 leagues': unknown unit 'leagues'; expected km, m, mi"):
        read_km("5 leagues")
    with pytest.raises(GeoRangeError):
        read_km("5 km km")


@given(st.integers(min_value=0, max_value=10**12), st.integers(min_value=0, max_value=6),
       st.sampled_from([("mi", MILE_KM), ("nmi", NAUTICAL_MILE_KM), ("m", Decimal("0.001"))]))
@example(1500, 0, ("mi", MILE_KM))
def test_unit_conversions_round_once(mantissa, places, unit) -> None:
    number = str(Decimal(mantissa).scaleb(-places))
    if "E" in number or (places == 3 and "." in number):  # keep to forms of one reading
        return
    name, km_per_unit = unit
    assert read_km(f"{number} {name}") == exact_km(number, km_per_unit)


# --- round trips -----------------------------------------------------------------------------------------------

STYLES = {  # convention stated, decimal mark, thousands separator
    "1,234.5": (".", ","), "1 234.5": (".", " "), "1'234.5": (".", "'"),
    "1.234,5": (",", "."), "1 234,5": (",", "\u202f"),
}


def written(value: float, decimal_mark: str, group: str) -> str:
    """Write a float the way a style writes it, with every digit of its shortest repr."""
    text = format(Decimal(repr(value)), ",f")  # 1,234,567.5
    return text.replace(",", "\0").replace(".", decimal_mark).replace("\0", group)


finite = st.floats(min_value=0, max_value=1e15, allow_nan=False).filter(lambda x: x == 0 or x >= 1e-6)


@given(finite, st.sampled_from(sorted(STYLES)))
@example(5000.0, "1.234,5")
@example(1.5, "1.234,5")
@example(1500.0, "1,234.5")
@example(1.125, "1,234.5")
@example(1125.0, "1.234,5")
def test_a_number_written_in_a_stated_style_reads_back(value, style) -> None:
    decimal_mark, group = STYLES[style]
    text = written(value, decimal_mark, group)
    assert read_km(text, read_convention(style)) == value, text
    assert read_km(f"{text} km", read_convention(style)) == value


@given(finite.filter(lambda x: x >= 1000 and x != int(x)), st.sampled_from([(".", ","), (",", ".")]))
def test_both_marks_need_no_convention(value, marks) -> None:
    assert read_km(written(value, *marks)) == value


@given(st.integers(min_value=1, max_value=999), st.integers(min_value=0, max_value=999), st.sampled_from(".,'"))
def test_one_group_of_three_is_refused_without_a_convention(head, tail, mark) -> None:
    text = f"{head}{mark}{tail:03d}"
    with pytest.raises(InvalidRangeError, match=f"can be read as .*{head}{tail:03d}"):
        read_km(text)
