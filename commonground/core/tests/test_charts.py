"""Server-rendered SVG charts: well-formed, accessible, escaped, CSP-clean and deterministic."""

import csv
import io
import itertools
import math
import re
import xml.etree.ElementTree as ET
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils.safestring import SafeString
from hypothesis import given, settings
from hypothesis import strategies as st

from commonground.core.charts import (
    ChartPoint,
    TargetLine,
    bar_chart,
    chart_data_csv,
    chart_data_rows,
    format_number,
    nice_ticks,
    progress_bar,
    progress_chart,
)

SVG = "{http://www.w3.org/2000/svg}"
REPO = Path(__file__).resolve().parents[3]
ARTIFACTS = REPO / "test-artifacts" / "charts"
HOSTILE = '<script>alert(1)</script>"onload="alert(2)&amp;'


# --- helpers -------------------------------------------------------------------------------


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 - our own output, parsed to prove it is well-formed


def classes(element: ET.Element) -> set[str]:
    return set(element.get("class", "").split())


def by_class(root: ET.Element, name: str) -> list[ET.Element]:
    return [e for e in root.iter() if name in classes(e)]


def tag(element: ET.Element) -> str:
    return element.tag.removeprefix(SVG)


def all_text(root: ET.Element) -> str:
    return " ".join("".join(e.itertext()) for e in root)


def tick_value(text: str) -> Decimal:
    """Read an axis label back: "1,250", "1.5k", "2M", "40%", "-2"."""
    text = text.replace(",", "").removesuffix("%")
    scale = {"k": Decimal(1000), "M": Decimal(1_000_000)}.get(text[-1:], Decimal(1))
    if scale != 1:
        text = text[:-1]
    return Decimal(text) * scale


def y_ticks(root: ET.Element) -> list[tuple[Decimal, float]]:
    """(value, y of the gridline) for each y-axis label; the label sits 4 below its line."""
    (axis,) = by_class(root, "cg-chart-yaxis")
    return [(tick_value(t.text or ""), float(t.get("y", "0")) - 4) for t in axis]


def value_at(root: ET.Element, y: float) -> float:
    """Map a y coordinate back to a value through the drawn axis."""
    ticks = y_ticks(root)
    (v0, y0), (v1, y1) = ticks[0], ticks[-1]
    return float(v0) + (y - y0) * float(v1 - v0) / (y1 - y0)


def is_nice_step(step: Decimal) -> bool:
    mantissa = step.scaleb(-step.adjusted()).normalize()
    return mantissa in {Decimal(1), Decimal(2), Decimal(5)}


def luminance(hex_colour: str) -> float:
    def channel(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.03928 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast_with_white(hex_colour: str) -> float:
    return 1.05 / (luminance(hex_colour) + 0.05)


QUARTERS = [
    ChartPoint(date(2024, 6, 30), 120, "2024-Q2"),
    ChartPoint(date(2024, 9, 30), Decimal("150"), "2024-Q3"),
    ChartPoint(date(2024, 12, 31), 175.5, "2024-Q4"),
    ChartPoint(date(2025, 3, 31), None, "2025-Q1"),
    ChartPoint(date(2025, 6, 30), 260, "2025-Q2"),
    ChartPoint(date(2025, 9, 30), 310, "2025-Q3"),
]
TARGET = TargetLine(500, date(2026, 12, 31))
TRAJECTORY = [
    ChartPoint(date(2024, 6, 30), 120, "2024-Q2"),
    ChartPoint(date(2026, 12, 31), 500, "2026-Q4"),
]
PERIOD_TARGETS = [
    ChartPoint(date(2024, 12, 31), 180, "2024-Q4"),
    ChartPoint(date(2025, 6, 30), 250, "2025-Q2"),
    ChartPoint(date(2025, 12, 31), 350, "2025-Q4"),
]


def water_chart(**overrides) -> SafeString:
    arguments = {
        "id_prefix": "ind-7",
        "title": "Households connected to clean water",
        "points": QUARTERS,
        "target": TARGET,
        "trajectory": TRAJECTORY,
        "period_targets": PERIOD_TARGETS,
        "unit": "households",
    }
    arguments.update(overrides)
    return progress_chart(**arguments)


def every_variant() -> list[str]:
    return [
        water_chart(),
        water_chart(show_title=True, unit="%"),
        progress_chart(id_prefix="e", title="Empty", points=[], target=None, trajectory=None),
        progress_chart(id_prefix="e", title="Empty", points=[], target=TARGET, trajectory=None),
        bar_chart(id_prefix="b", title="By gender", bars=[("Female", 120), ("Male", None)]),
        bar_chart(id_prefix="b", title="Nothing", bars=[]),
        progress_bar(percent=45, status="on_track", label="Water"),
        progress_bar(percent=None, status="", label="", show_status=True),
    ]


# --- progress chart: structure and accessibility -------------------------------------------


def test_progress_chart_is_well_formed_svg_with_an_accessible_name():
    svg = water_chart()
    assert isinstance(svg, SafeString)
    root = parse(svg)
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "ind-7-title ind-7-desc"
    title, desc = root[0], root[1]
    assert (tag(title), title.get("id"), title.text) == (
        "title",
        "ind-7-title",
        "Households connected to clean water",
    )
    assert (tag(desc), desc.get("id")) == ("desc", "ind-7-desc")
    ids = [e.get("id") for e in root.iter() if e.get("id")]
    assert ids == ["ind-7-title", "ind-7-desc"]
    # Responsive: scales with its container, never a fixed pixel width.
    assert root.get("width") == "100%"
    assert root.get("height") is None
    assert root.get("preserveAspectRatio") == "xMidYMid meet"
    assert re.fullmatch(r"0 0 640 \d+(\.\d+)?", root.get("viewBox", ""))


def test_ids_follow_the_prefix_so_two_charts_on_one_page_do_not_clash():
    first = parse(water_chart(id_prefix="ind-1"))
    second = parse(water_chart(id_prefix="ind-2"))
    first_ids = {e.get("id") for e in first.iter() if e.get("id")}
    second_ids = {e.get("id") for e in second.iter() if e.get("id")}
    assert first_ids.isdisjoint(second_ids)


@pytest.mark.parametrize("prefix", ["", "1abc", "a b", 'a"b', "a<b", "ä"])
def test_an_unusable_id_prefix_is_refused(prefix):
    with pytest.raises(ValueError, match="id_prefix"):
        water_chart(id_prefix=prefix)
    with pytest.raises(ValueError, match="id_prefix"):
        bar_chart(id_prefix=prefix, title="t", bars=[("a", 1)])


def test_desc_summarises_the_chart_in_words():
    desc = parse(water_chart()).find(f"{SVG}desc")
    assert desc is not None
    text = desc.text or ""
    assert "Actual values rise from 120 households in 2024-Q2 to 310 households in 2025-Q3" in (
        text
    )
    assert "1 period has no reported value." in text
    assert "The target is 500 households by 31 December 2026." in text
    # The latest result against the straight line from baseline to target.
    assert (
        "The latest result (310 households in 2025-Q3) is equal to the expected 310 households."
        in text
    )


def test_series_are_told_apart_by_more_than_colour_and_the_legend_names_them():
    root = parse(water_chart())
    (target,) = [e for e in by_class(root, "cg-chart-target") if tag(e) == "line"][:1]
    assert target.get("stroke-dasharray")  # dashed
    trajectory = [e for e in by_class(root, "cg-chart-trajectory") if tag(e) == "polyline"]
    assert trajectory and trajectory[0].get("stroke-dasharray")  # dotted
    actual = [e for e in by_class(root, "cg-chart-actual") if tag(e) == "polyline"]
    assert actual and actual[0].get("stroke-dasharray") is None  # solid, with markers
    (legend,) = by_class(root, "cg-chart-legend")
    words = [t.text for t in legend.iter(f"{SVG}text")]
    assert words == [
        "Actual",
        "Target: 500 households by 31 Dec 2026",
        "Expected (trajectory)",
        "Period targets",
    ]
    # The target line is also labelled on the plot.
    (label,) = by_class(root, "cg-chart-target-label")
    assert label.text == "Target 500 households"


def test_one_marker_per_reported_value_with_its_period_and_value_as_a_tooltip():
    root = parse(water_chart())
    markers = by_class(root, "cg-chart-point")
    assert len(markers) == sum(1 for p in QUARTERS if p.value is not None) == 5
    tooltips = [m.findtext(f"{SVG}title") for m in markers]
    assert tooltips[0] == "2024-Q2: 120 households"
    assert tooltips[2] == "2024-Q4: 175.5 households"
    assert len(by_class(root, "cg-chart-period-target")) == 3


def test_a_missing_value_breaks_the_line_in_two():
    root = parse(water_chart())
    lines = [e for e in by_class(root, "cg-chart-actual") if tag(e) == "polyline"]
    assert len(lines) == 2
    assert [len(line.get("points", "").split()) for line in lines] == [3, 2]


def test_an_isolated_value_between_gaps_gets_a_marker_but_no_line():
    points = [
        ChartPoint(date(2025, 1, 1), 1, "a"),
        ChartPoint(date(2025, 2, 1), None, "b"),
        ChartPoint(date(2025, 3, 1), 2, "c"),
        ChartPoint(date(2025, 4, 1), None, "d"),
    ]
    root = parse(
        progress_chart(id_prefix="g", title="t", points=points, target=None, trajectory=None)
    )
    assert len(by_class(root, "cg-chart-point")) == 2
    assert not [e for e in by_class(root, "cg-chart-actual") if tag(e) == "polyline"]


def test_points_sit_on_the_time_axis_in_proportion_to_their_dates():
    start = date(2025, 1, 1)
    offsets = [0, 10, 40, 100]
    points = [ChartPoint(start + timedelta(days=d), d, f"d{d}") for d in offsets]
    root = parse(
        progress_chart(id_prefix="x", title="t", points=points, target=None, trajectory=None)
    )
    xs = [float(m.get("cx", "0")) for m in by_class(root, "cg-chart-point")]
    per_day = (xs[-1] - xs[0]) / 100
    for x, days in zip(xs, offsets, strict=True):
        assert x == pytest.approx(xs[0] + days * per_day, abs=0.02)


def test_the_points_are_sorted_by_date_whatever_order_they_come_in():
    assert water_chart(points=list(reversed(QUARTERS))) == water_chart()


# --- progress chart: scales ----------------------------------------------------------------


def test_y_axis_ticks_are_nice_numbers_covering_the_data_and_the_target():
    ticks = [value for value, _ in y_ticks(parse(water_chart()))]
    steps = {b - a for a, b in itertools.pairwise(ticks)}
    assert len(steps) == 1
    (step,) = steps
    assert is_nice_step(step)
    assert all(t % step == 0 for t in ticks)
    values = [Decimal(str(p.value)) for p in QUARTERS if p.value is not None] + [Decimal(500)]
    assert ticks[0] <= min(values)
    assert ticks[-1] >= max(values)
    assert ticks == [0, 100, 200, 300, 400, 500]


def test_the_target_line_is_drawn_at_its_value_on_the_axis():
    root = parse(water_chart())
    line = next(e for e in by_class(root, "cg-chart-target") if tag(e) == "line")
    assert line.get("y1") == line.get("y2")
    assert value_at(root, float(line.get("y1", "0"))) == pytest.approx(500, abs=0.05)


def test_the_markers_are_drawn_at_their_values_on_the_axis():
    root = parse(water_chart())
    reported = [float(p.value) for p in QUARTERS if p.value is not None]
    for marker, value in zip(by_class(root, "cg-chart-point"), reported, strict=True):
        assert value_at(root, float(marker.get("cy", "0"))) == pytest.approx(value, abs=0.05)


def test_x_labels_are_thinned_so_they_do_not_overlap_and_the_latest_period_is_labelled():
    months = [
        ChartPoint(date(2022 + i // 12, i % 12 + 1, 1), i * 3, f"{2022 + i // 12}-{i % 12 + 1:02d}")
        for i in range(40)
    ]
    root = parse(
        progress_chart(id_prefix="m", title="t", points=months, target=None, trajectory=None)
    )
    (axis,) = by_class(root, "cg-chart-xaxis")
    labels = [t for t in axis.iter(f"{SVG}text")]
    assert 3 <= len(labels) < len(months)
    assert labels[-1].text == "2025-04"
    spans = []
    for label in labels:
        centre, half = float(label.get("x", "0")), len(label.text or "") * 12 * 0.62 / 2
        spans.append((centre - half, centre + half))
    assert all(a[1] <= b[0] for a, b in itertools.pairwise(spans))
    # Every period still gets a tick mark.
    assert len(list(axis.iter(f"{SVG}line"))) == 40


@pytest.mark.parametrize(
    ("high", "labels"),
    [
        (3_400_000, ["0", "1M", "2M", "3M", "4M"]),
        (2_300_000, ["0", "0.5M", "1M", "1.5M", "2M", "2.5M"]),
        (41_800, ["0", "10k", "20k", "30k", "40k", "50k"]),
        (7_400, ["0", "2,000", "4,000", "6,000", "8,000"]),
    ],
)
def test_large_values_use_compact_axis_labels(high, labels):
    points = [ChartPoint(date(2025, 1, 1), high // 10), ChartPoint(date(2025, 6, 1), high)]
    root = parse(progress_chart(id_prefix="big", title="t", points=points))
    (axis,) = by_class(root, "cg-chart-yaxis")
    assert [t.text for t in axis] == labels


def test_a_single_point_still_gets_an_axis_and_says_so():
    root = parse(
        progress_chart(
            id_prefix="one",
            title="t",
            points=[ChartPoint(date(2025, 3, 31), 42, "2025-Q1")],
            target=None,
            trajectory=None,
            unit="%",
        )
    )
    assert len(by_class(root, "cg-chart-point")) == 1
    ticks = [v for v, _ in y_ticks(root)]
    assert ticks[0] <= 42 <= ticks[-1]
    assert root.findtext(f"{SVG}desc") == "One result reported: 42% in 2025-Q1."
    assert [t.text for t in by_class(root, "cg-chart-tick-label")][-1] == "2025-Q1"


def test_all_equal_values_do_not_divide_by_zero():
    points = [ChartPoint(date(2025, m, 1), 7, f"m{m}") for m in (1, 2, 3)]
    root = parse(
        progress_chart(id_prefix="eq", title="t", points=points, target=None, trajectory=None)
    )
    ys = {m.get("cy") for m in by_class(root, "cg-chart-point")}
    assert len(ys) == 1
    assert value_at(root, float(ys.pop() or 0)) == pytest.approx(7, abs=0.05)
    assert "Actual values are 7 in both m1 and m3" in (root.findtext(f"{SVG}desc") or "")


def test_negative_values_get_a_zero_line_and_negative_ticks():
    values = [-3, -1.5, 0, 2, None, 4.25]
    points = [
        ChartPoint(date(2025, i + 1, 1), v, f"2025-{i + 1:02d}") for i, v in enumerate(values)
    ]
    root = parse(progress_chart(id_prefix="neg", title="t", points=points, target=TargetLine(5)))
    ticks = [v for v, _ in y_ticks(root)]
    assert ticks[0] <= -3 and ticks[-1] >= 5 and 0 in ticks
    for marker, value in zip(by_class(root, "cg-chart-point"), [-3, -1.5, 0, 2, 4.25], strict=True):
        assert value_at(root, float(marker.get("cy", "0"))) == pytest.approx(value, abs=0.05)
    assert ticks == [-4, -2, 0, 2, 4, 6]
    # The zero gridline is drawn darker than the others.
    (grid,) = by_class(root, "cg-chart-grid")
    dark = [line for line in grid if line.get("stroke") == "#4a5460"]
    assert len(dark) == 1
    assert value_at(root, float(dark[0].get("y1", "0"))) == pytest.approx(0, abs=0.01)


def test_a_decreasing_indicator_with_its_target_below_the_baseline():
    points = [
        ChartPoint(date(2023, 12, 31), 48200, "2023"),
        ChartPoint(date(2024, 12, 31), 45100, "2024"),
        ChartPoint(date(2025, 12, 31), 41800, "2025"),
    ]
    trajectory = [points[0], ChartPoint(date(2030, 12, 31), 30000, "2030")]
    root = parse(
        progress_chart(
            id_prefix="co2",
            title="Emissions",
            points=points,
            target=TargetLine(30000, date(2030, 12, 31), "2030 target"),
            trajectory=trajectory,
            unit="tCO2e",
        )
    )
    desc = root.findtext(f"{SVG}desc") or ""
    assert "Actual values fall from 48,200 tCO2e in 2023 to 41,800 tCO2e in 2025" in desc
    assert "2030 target: 30,000 tCO2e by 31 December 2030." in desc
    line = next(e for e in by_class(root, "cg-chart-target") if tag(e) == "line")
    assert value_at(root, float(line.get("y1", "0"))) == pytest.approx(30000, abs=1)
    ticks = [v for v, _ in y_ticks(root)]
    # Zero would squash the data; the target stays off the x axis.
    assert 0 < ticks[0] < 30000 <= ticks[-1]


def test_zero_based_can_be_forced_either_way():
    points = [ChartPoint(date(2025, 1, 1), 72), ChartPoint(date(2025, 6, 1), 78)]
    auto = [v for v, _ in y_ticks(parse(progress_chart(id_prefix="z", title="t", points=points)))]
    forced = [
        v
        for v, _ in y_ticks(
            parse(progress_chart(id_prefix="z", title="t", points=points, zero_based=True))
        )
    ]
    assert auto[0] > 0
    assert forced[0] == 0


NUMBERS = st.one_of(
    st.none(),
    st.integers(-(10**9), 10**9),
    st.floats(allow_nan=True, allow_infinity=True, width=32),
    st.decimals(min_value=-(10**6), max_value=10**6, places=3, allow_nan=False),
)


@settings(max_examples=60, deadline=None)
@given(
    values=st.lists(NUMBERS, max_size=30),
    labels=st.lists(st.text(max_size=20), min_size=30, max_size=30),
    target=st.one_of(st.none(), st.integers(-(10**6), 10**6)),
)
def test_any_input_gives_a_well_formed_chart_that_covers_its_data(values, labels, target):
    points = [
        ChartPoint(date(2020, 1, 1) + timedelta(days=40 * i), v, labels[i])
        for i, v in enumerate(values)
    ]
    svg = progress_chart(
        id_prefix="p",
        title=labels[0],
        points=points,
        target=TargetLine(target, date(2030, 1, 1), labels[1]) if target is not None else None,
        unit=labels[2],
    )
    root = parse(svg)
    assert not re.search(r"\sstyle=|<style", svg)
    finite = [
        Decimal(repr(v)) if isinstance(v, float) else Decimal(v)
        for v in values
        if v is not None and math.isfinite(v)
    ]
    assert len(by_class(root, "cg-chart-point")) == len(finite)
    if finite or target is not None:
        ticks = [v for v, _ in y_ticks(root)]
        assert 2 <= len(ticks) <= 12
        covered = finite + ([Decimal(target)] if target is not None else [])
        assert ticks[0] <= min(covered) and ticks[-1] >= max(covered)
    bars = bar_chart(id_prefix="b", title=labels[3], bars=list(zip(labels, values, strict=False)))
    assert len(by_class(parse(bars), "cg-chart-bar")) == len(finite)


# --- empty data ----------------------------------------------------------------------------


def test_no_points_and_nothing_else_renders_an_empty_chart_that_says_so():
    root = parse(
        progress_chart(
            id_prefix="none", title="Trees planted", points=[], target=None, trajectory=None
        )
    )
    assert root.findtext(f"{SVG}desc") == "No results reported yet."
    (message,) = by_class(root, "cg-chart-empty")
    assert message.text == "No results reported yet"
    assert not by_class(root, "cg-chart-point")
    assert not by_class(root, "cg-chart-yaxis")


def test_no_points_yet_still_shows_the_target():
    points = [ChartPoint(date(2025, 3, 31), None, "2025-Q1")]
    root = parse(
        progress_chart(id_prefix="none", title="t", points=points, target=TARGET, trajectory=None)
    )
    desc = root.findtext(f"{SVG}desc") or ""
    assert desc == "No results reported yet. The target is 500 by 31 December 2026."
    assert by_class(root, "cg-chart-empty")
    line = next(e for e in by_class(root, "cg-chart-target") if tag(e) == "line")
    assert value_at(root, float(line.get("y1", "0"))) == pytest.approx(500, abs=0.05)


def test_nan_and_infinite_values_are_gaps():
    points = [
        ChartPoint(date(2025, 1, 1), 1),
        ChartPoint(date(2025, 2, 1), float("nan")),
        ChartPoint(date(2025, 3, 1), Decimal("Infinity")),
        ChartPoint(date(2025, 4, 1), 3),
    ]
    root = parse(progress_chart(id_prefix="nan", title="t", points=points))
    assert len(by_class(root, "cg-chart-point")) == 2


# --- escaping, CSP, determinism, contrast --------------------------------------------------


def assert_no_injection(svg: str) -> ET.Element:
    root = parse(svg)  # well-formed despite the hostile text
    assert "<script" not in svg
    assert not re.search(r"<[^>]*\sonload=", svg)  # no attribute smuggled into a tag
    for element in root.iter():
        assert tag(element) != "script"
        assert not any(name.lower().startswith("on") for name in element.attrib)
    return root


def test_hostile_text_is_escaped_in_the_progress_chart():
    hostile_points = [ChartPoint(p.when, p.value, HOSTILE) for p in QUARTERS]
    svg = progress_chart(
        id_prefix="h",
        title=HOSTILE,
        points=hostile_points,
        target=TargetLine(500, date(2026, 12, 31), HOSTILE),
        trajectory=TRAJECTORY,
        period_targets=[ChartPoint(d.when, d.value, HOSTILE) for d in PERIOD_TARGETS],
        unit=HOSTILE,
        show_title=True,
    )
    root = assert_no_injection(svg)
    # The text survives, as text.
    assert root.findtext(f"{SVG}title") == HOSTILE
    assert HOSTILE in (root.findtext(f"{SVG}desc") or "")
    assert "&amp;amp;" in svg  # an entity in the input is shown, not interpreted


def test_hostile_text_is_escaped_in_the_bar_chart_and_progress_bar():
    assert_no_injection(
        bar_chart(id_prefix="h", title=HOSTILE, bars=[(HOSTILE, 3), (HOSTILE, None)], unit=HOSTILE)
    )
    root = assert_no_injection(
        progress_bar(
            percent=50, status=HOSTILE, label=HOSTILE, status_label=HOSTILE, show_status=True
        )
    )
    assert re.fullmatch(r"cg-progress status-[a-z0-9_-]+", root.get("class", ""))
    assert HOSTILE in (root.get("aria-label") or "")


def test_characters_xml_cannot_hold_are_dropped_rather_than_breaking_the_svg():
    svg = bar_chart(id_prefix="c", title="a\x00b\x1bc", bars=[("x\x0by", 1)])
    root = parse(svg)
    assert root.findtext(f"{SVG}title") == "abc"


def test_no_inline_styles_anywhere():
    for svg in every_variant():
        assert not re.search(r"\sstyle=|<style", svg)
        for element in parse(svg).iter():
            assert "style" not in element.attrib
            assert tag(element) != "style"


def test_output_is_deterministic():
    for first, second in zip(every_variant(), every_variant(), strict=True):
        assert first == second
    assert chart_data_csv(QUARTERS, target=TARGET) == chart_data_csv(QUARTERS, target=TARGET)


def test_data_colours_reach_3_to_1_and_text_4_5_to_1_against_white():
    data_classes = {
        "cg-chart-actual",
        "cg-chart-point",
        "cg-chart-target",
        "cg-chart-trajectory",
        "cg-chart-period-target",
        "cg-chart-bar",
        "cg-progress-fill",
        "cg-progress-track",
    }
    charts = [*every_variant(), progress_bar(percent=50, status="off_track", label="x")]
    checked = 0
    for svg in charts:
        for element in parse(svg).iter():
            if classes(element) & data_classes:
                colour = element.get("stroke") if tag(element) != "rect" else element.get("fill")
                if tag(element) == "rect" and "cg-progress-track" in classes(element):
                    colour = element.get("stroke")
                if tag(element) == "circle":
                    colour = element.get("fill")
                assert colour and contrast_with_white(colour) >= 3, (element.attrib, colour)
                checked += 1
            if tag(element) == "text" and element.get("fill"):
                assert contrast_with_white(element.get("fill", "")) >= 4.5
    assert checked > 10


def test_no_text_is_smaller_than_12px():
    for svg in every_variant():
        root = parse(svg)
        assert int(root.get("font-size", "0")) >= 12
        for element in root.iter():
            if element.get("font-size"):
                assert float(element.get("font-size", "0")) >= 12


# --- bar chart -----------------------------------------------------------------------------

GENDER = [("Female", 120), ("Male", Decimal("98")), ("Other", 3.0), ("Prefer not to say", None)]


def test_bar_chart_draws_one_bar_per_reported_value_with_its_value_as_text():
    root = parse(
        bar_chart(id_prefix="g", title="Participants by gender", bars=GENDER, unit="people")
    )
    assert root.get("role") == "img" and root.get("aria-labelledby") == "g-title g-desc"
    bars = by_class(root, "cg-chart-bar")
    assert len(bars) == 3
    assert [t.text for t in by_class(root, "cg-chart-bar-label")] == [
        "Female",
        "Male",
        "Other",
        "Prefer not to say",
    ]
    assert [t.text for t in by_class(root, "cg-chart-bar-value")] == [
        "120 people",
        "98 people",
        "3 people",
    ]
    assert [t.text for t in by_class(root, "cg-chart-missing")] == ["Not reported"]
    widths = [float(b.get("width", "0")) for b in bars]
    assert widths[1] / widths[0] == pytest.approx(98 / 120, rel=1e-3)
    assert root.findtext(f"{SVG}desc") == (
        "Female: 120 people (54.3%); Male: 98 people (44.3%); Other: 3 people (1.4%). "
        "Total 221 people. Not reported: Prefer not to say."
    )


def test_bar_chart_shares_are_optional_in_the_labels():
    root = parse(bar_chart(id_prefix="g", title="t", bars=GENDER, show_share=True))
    assert by_class(root, "cg-chart-bar-value")[0].text == "120 (54.3%)"


def test_bar_chart_grows_with_the_number_of_bars():
    def height(n: int) -> float:
        root = parse(bar_chart(id_prefix="g", title="t", bars=[(f"b{i}", i) for i in range(n)]))
        return float(root.get("viewBox", "").split()[3])

    assert height(2) < height(3) < height(10)
    assert height(10) - height(9) == pytest.approx(28 + 10)


def test_bar_chart_with_negative_values_draws_them_left_of_zero():
    root = parse(bar_chart(id_prefix="n", title="t", bars=[("up", 10), ("down", -5)]))
    (axis,) = by_class(root, "cg-chart-axis")
    zero = float(axis.get("x1", "0"))
    up, down = by_class(root, "cg-chart-bar")
    assert float(up.get("x", "0")) == pytest.approx(zero)
    assert float(down.get("x", "0")) + float(down.get("width", "0")) == pytest.approx(zero)
    assert float(down.get("width", "0")) * 2 == pytest.approx(float(up.get("width", "0")))


def test_bar_chart_without_values_says_so():
    root = parse(bar_chart(id_prefix="e", title="t", bars=[("a", None)]))
    assert root.findtext(f"{SVG}desc") == "No data reported yet."
    assert [t.text for t in by_class(root, "cg-chart-empty")] == ["No data reported yet"]
    assert not by_class(root, "cg-chart-bar")


# --- progress bar --------------------------------------------------------------------------


def test_progress_bar_carries_its_status_as_a_class_and_in_words():
    root = parse(progress_bar(percent=Decimal("45.4"), status="on_track", label="Clean water"))
    assert root.get("class") == "cg-progress status-on_track"
    assert root.get("role") == "img"
    assert root.findtext(f"{SVG}title") == "Clean water: 45%, On track"
    assert root.get("aria-label") == "Clean water: 45%, On track"
    (text,) = by_class(root, "cg-progress-text")
    assert text.text == "45%"
    (track,) = by_class(root, "cg-progress-track")
    (fill,) = by_class(root, "cg-progress-fill")
    ratio = float(fill.get("width", "0")) / float(track.get("width", "0"))
    assert ratio == pytest.approx(0.454, abs=0.001)
    assert (root.get("width") or "").endswith("em")


@pytest.mark.parametrize(
    ("percent", "shown", "fill_share"),
    [
        (130, "130%", 1.0),
        (-5, "-5%", None),
        (0, "0%", None),
        (0.2, "<1%", "min"),
        (None, "No data", None),
    ],
)
def test_progress_bar_edge_values(percent, shown, fill_share):
    root = parse(
        progress_bar(percent=percent, status="at_risk", label="x", status_label="At risk!")
    )
    (text,) = by_class(root, "cg-progress-text")
    assert text.text == shown
    fills = by_class(root, "cg-progress-fill")
    if fill_share is None:
        assert not fills
    else:
        (track,) = by_class(root, "cg-progress-track")
        width = float(fills[0].get("width", "0"))
        if fill_share == "min":
            assert 0 < width <= 2
        else:
            assert width == pytest.approx(float(track.get("width", "0")) * fill_share)
    assert (root.findtext(f"{SVG}title") or "").endswith("At risk!")


def test_progress_bar_can_show_its_status_as_visible_text():
    root = parse(progress_bar(percent=80, status="Off track", label="x", show_status=True))
    assert root.get("class") == "cg-progress status-off_track"
    assert [t.text for t in by_class(root, "cg-progress-text")] == ["80% · Off track"]


# --- numbers -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (1250, "1,250"),
        (12.5, "12.5"),
        (Decimal("12.50"), "12.5"),
        (Decimal("0.125"), "0.13"),
        (-3, "-3"),
        (-0.001, "0"),
        (1234567.891, "1,234,567.89"),
        (0.1 + 0.2, "0.3"),
        (None, "\u2013"),
        (float("nan"), "\u2013"),
    ],
)
def test_format_number(value, text):
    assert format_number(value) == text


@pytest.mark.parametrize(
    ("low", "high", "expected"),
    [
        (0, 500, ["0", "100", "200", "300", "400", "500"]),
        (0, 7, ["0", "2", "4", "6", "8"]),
        (72, 78, ["72", "74", "76", "78"]),
        (0, 1, ["0", "0.2", "0.4", "0.6", "0.8", "1"]),
        (-3, 8, ["-4", "-2", "0", "2", "4", "6", "8"]),
        (42, 42, ["0", "10", "20", "30", "40", "50"]),
        (0, 0, ["0", "0.2", "0.4", "0.6", "0.8", "1"]),
        (-4, -4, ["-4", "-3", "-2", "-1", "0"]),
    ],
)
def test_nice_ticks(low, high, expected):
    ticks = nice_ticks(low, high)
    assert [format(t.normalize(), "f") for t in ticks] == expected
    assert is_nice_step(ticks[1] - ticks[0])


# --- data behind the chart -----------------------------------------------------------------


def test_chart_data_csv_lists_actual_target_and_expected_per_period():
    text = chart_data_csv(
        QUARTERS, target=TARGET, trajectory=TRAJECTORY, period_targets=PERIOD_TARGETS
    )
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["period", "actual", "target", "expected"]
    assert rows[1] == ["2024-Q2", "120", "500", "120"]
    assert rows[3] == ["2024-Q4", "175.5", "180", "196.5"]
    assert rows[4] == ["2025-Q1", "", "500", "233.92"]
    assert rows[-1] == ["2026-Q4", "", "500", "500"]
    assert [r[0] for r in rows[1:]] == [
        "2024-Q2",
        "2024-Q3",
        "2024-Q4",
        "2025-Q1",
        "2025-Q2",
        "2025-Q3",
        "2025-Q4",
        "2026-Q4",
    ]


def test_chart_data_rows_are_the_table_beside_the_chart_and_the_csv():
    """The table a page shows under a chart holds the CSV's rows as numbers (not text the
    spreadsheet defuses), so a screen reader user reads the same data the chart draws."""
    rows = chart_data_rows(
        QUARTERS, target=TARGET, trajectory=TRAJECTORY, period_targets=PERIOD_TARGETS
    )
    assert rows[0] == ("2024-Q2", Decimal("120"), Decimal("500"), Decimal("120"))
    assert rows[3] == ("2025-Q1", None, Decimal("500"), Decimal("233.92"))
    as_csv = list(
        csv.reader(
            io.StringIO(
                chart_data_csv(
                    QUARTERS, target=TARGET, trajectory=TRAJECTORY, period_targets=PERIOD_TARGETS
                )
            )
        )
    )[1:]
    assert [r[0] for r in as_csv] == [name for name, *_ in rows]


def test_chart_data_csv_defuses_formula_like_cells():
    labels = ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", " =1+1", 'fine, "quoted"']
    points = [ChartPoint(date(2025, 1, i + 1), -i, label) for i, label in enumerate(labels)]
    rows = list(csv.reader(io.StringIO(chart_data_csv(points))))
    assert [r[0] for r in rows[1:]] == [
        '\'=HYPERLINK("http://x")',
        "'+1+1",
        "'-2+3",
        "'@SUM(A1)",
        "'=1+1",
        'fine, "quoted"',
    ]
    # Numbers are plain numbers (a negative number is not a formula).
    assert [r[1] for r in rows[1:]] == ["0", "-1", "-2", "-3", "-4", "-5"]


def test_chart_data_csv_with_nothing_is_just_the_header():
    assert chart_data_csv([]) == "period,actual,target,expected\r\n"


# --- examples to look at -------------------------------------------------------------------


def test_render_examples_to_test_artifacts():
    """One realistic example of each chart, written to test-artifacts/charts/ for review."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    examples = {
        "progress_chart": water_chart(show_title=True),
        "progress_chart_decreasing": progress_chart(
            id_prefix="co2",
            title="Municipal CO2 emissions",
            points=[
                ChartPoint(date(2023, 12, 31), 48200, "2023"),
                ChartPoint(date(2024, 12, 31), 45100, "2024"),
                ChartPoint(date(2025, 12, 31), 41800, "2025"),
            ],
            target=TargetLine(30000, date(2030, 12, 31), "2030 target"),
            trajectory=[
                ChartPoint(date(2023, 12, 31), 48200, "2023"),
                ChartPoint(date(2030, 12, 31), 30000, "2030"),
            ],
            unit="tCO2e",
            show_title=True,
        ),
        "progress_chart_empty": progress_chart(
            id_prefix="trees",
            title="Trees planted",
            points=[],
            target=TargetLine(2000, date(2026, 6, 30)),
        ),
        "bar_chart": bar_chart(
            id_prefix="gender",
            title="Training participants by gender",
            bars=GENDER,
            unit="people",
            show_share=True,
            show_title=True,
        ),
    }
    for name, svg in examples.items():
        (ARTIFACTS / f"{name}.svg").write_text(svg, encoding="utf-8")
    bars = "".join(
        f"<p>{progress_bar(percent=p, status=s, label=n, show_status=True)}</p>"
        for n, p, s in [
            ("Households connected", 62, "on_track"),
            ("Trees planted", 30, "at_risk"),
            ("CO2 reduction", Decimal("4.5"), "off_track"),
            ("Training sessions", 130, "achieved"),
            ("Jobs created", None, "not_started"),
        ]
    )
    (ARTIFACTS / "progress_bar.svg").write_text(
        progress_bar(percent=62, status="on_track", label="Households connected"), encoding="utf-8"
    )
    (ARTIFACTS / "progress_bars.html").write_text(
        f"<!doctype html><meta charset=utf-8><title>Progress bars</title><body>{bars}</body>",
        encoding="utf-8",
    )
    for path in ARTIFACTS.glob("*.svg"):
        parse(path.read_text(encoding="utf-8"))
