"""Server-rendered SVG charts: the same markup in the page, in PDFs and without JavaScript.

Everything here is a pure function of its arguments: no database, no clock, no randomness, so
the same input gives byte-identical SVG (cacheable, diffable, testable).

Rules the markup keeps, because the site's Content-Security-Policy forbids inline styles and
the charts must meet WCAG 2.1 AA:

* no ``style`` attributes and no ``<style>`` elements: only SVG presentation attributes
  (``fill``, ``stroke``, ``font-size`` ...) and ``class`` names, which the site's CSS may
  override (a CSS rule beats a presentation attribute);
* ``role="img"`` with ``<title>`` and ``<desc>`` that say in words what the chart shows;
* series are told apart by more than colour: actuals solid with round markers, target dashed,
  expected trajectory dotted, period targets hollow diamonds, and a text legend;
* every colour used for data has at least 3:1 contrast against white, text at least 4.5:1,
  and no text is smaller than 12px (in viewBox units, at the default size);
* every piece of text is escaped; a chart is marked safe only once it is fully built.

Numbers arrive as ``Decimal | float | int | None``; ``None`` (and NaN/infinity) is a gap: lines
break there and bars are left out.

Words, numbers and dates follow the active language (the only outside state read): the same
input in the same language gives the same SVG.
"""

import csv
import io
import itertools
import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import (
    ROUND_CEILING,
    ROUND_FLOOR,
    ROUND_HALF_UP,
    Context,
    Decimal,
    InvalidOperation,
)
from xml.sax.saxutils import escape

from django.utils.formats import date_format, get_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

__all__ = [
    "ChartPoint",
    "ChartRow",
    "Number",
    "TargetLine",
    "bar_chart",
    "chart_data_csv",
    "chart_data_rows",
    "format_number",
    "nice_ticks",
    "progress_bar",
    "progress_chart",
]

type Number = Decimal | float | int


@dataclass(frozen=True)
class ChartPoint:
    """One value at one moment; ``label`` is the period's name ("2025-Q1"), shown on the axis."""

    when: date
    value: Number | None
    label: str = ""


@dataclass(frozen=True)
class TargetLine:
    """The end target: a dashed horizontal line at ``value``, to be reached ``by`` a date."""

    value: Number
    by: date | None = None
    label: str = ""  # "" says "Target" in the active language


# --- palette -------------------------------------------------------------------------------
# Contrast against white (WCAG relative luminance): data colours >= 3:1, text colours >= 4.5:1.
INK = "#1b1f24"  # 16.1:1, text
MUTED = "#4a5460"  # 7.6:1, secondary text, axis
GRID = "#e1e6eb"  # decorative gridlines only (carry no information on their own)
ACTUAL = "#0b5a6e"  # 7.6:1, the brand teal
TARGET = "#6a3d9a"  # 7.9:1, purple
EXPECTED = "#5f6b76"  # 5.4:1, slate
PANEL = "#f5f7f9"
HALO = "#ffffff"

STATUS_COLOURS: Mapping[str, str] = {
    "on_track": "#116329",  # 7.4:1
    "achieved": "#0b5a6e",
    "at_risk": "#7a4b00",  # 7.5:1
    "off_track": "#b3261e",  # 6.4:1
}
STATUS_FALLBACK = MUTED

FONT_FAMILY = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif'
FONT_SIZE = 12
CHAR_WIDTH = 0.62  # estimated average advance of a sans-serif glyph, as a fraction of font size

NO_RESULTS = gettext_lazy("No results reported yet")
NO_DATA = gettext_lazy("No data reported yet")
NOT_REPORTED = gettext_lazy("Not reported")
UNLABELLED = gettext_lazy("Unlabelled")

_ID = re.compile(r"[A-Za-z][A-Za-z0-9_-]*\Z")
# Characters XML 1.0 does not allow, even escaped: a label containing one must not break the SVG.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff\ud800-\udfff]")
_STATUS_SLUG = re.compile(r"[^a-z0-9_-]+")


# --- text, numbers and markup --------------------------------------------------------------


def _clean(value: object) -> str:
    return _NOT_XML.sub("", str(value))


def _text(value: object) -> str:
    """Escape for element content."""
    return escape(_clean(value))


def _attr(value: object) -> str:
    """Escape for a double-quoted attribute value."""
    return escape(_clean(value), {'"': "&quot;", "\n": "&#10;", "\r": "&#13;", "\t": "&#9;"})


def _coord(x: float) -> str:
    """A coordinate, compact and deterministic: at most two decimals, no trailing zeros."""
    text = f"{x:.2f}".rstrip("0").rstrip(".")
    return "0" if text in {"-0", ""} else text


def _el(tag: str, attrs: Mapping[str, object | None], content: str | None = None) -> str:
    """One element; ``content`` must already be markup (escaped). ``None`` attributes are left
    out, floats are written as coordinates, everything else is escaped."""
    parts = [tag]
    for name, value in attrs.items():
        if value is None:
            continue
        if isinstance(value, float):
            rendered = _coord(value)
        elif isinstance(value, int) and not isinstance(value, bool):
            rendered = str(value)
        else:
            rendered = _attr(value)
        parts.append(f'{name}="{rendered}"')
    opening = "<" + " ".join(parts)
    if content is None:
        return opening + "/>"
    return f"{opening}>{content}</{tag}>"


def _text_width(text: str, font_size: float = FONT_SIZE) -> float:
    return len(text) * font_size * CHAR_WIDTH


def _truncate(text: str, max_width: float, font_size: float = FONT_SIZE) -> str:
    max_chars = max(int(max_width / (font_size * CHAR_WIDTH)), 2)
    if len(text) <= max_chars:
        return text
    return text[: max_chars - 1].rstrip() + "…"


def _check_id(id_prefix: str) -> str:
    if not _ID.match(id_prefix):
        raise ValueError(
            f"id_prefix must start with a letter and hold only letters, digits, '-' and '_': "
            f"{id_prefix!r}"
        )
    return id_prefix


def _to_decimal(value: Number | None) -> Decimal | None:
    """Decimal for any accepted number; ``None`` for missing, NaN and infinite values."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, float):
        if not math.isfinite(value):
            return None
        return Decimal(repr(value))
    try:
        result = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        return None
    return result if result.is_finite() else None


def _round(number: Decimal, places: int) -> Decimal:
    """Round half up to ``places`` decimals, with enough precision for any magnitude."""
    precision = max(28, number.adjusted() + places + 2)
    return number.quantize(
        Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP, context=Context(prec=precision)
    )


def format_number(value: Number | None, places: int = 2, *, missing: str = "\u2013") -> str:
    """Compact human number: thousands separators, at most ``places`` decimals, no trailing
    zeros: ``1,250``, ``12.5``, ``-3``, ``0.25``."""
    number = _to_decimal(value)
    if number is None:
        return missing
    text = f"{_round(number, places):,f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text == "-0" else _localise(text)


def _localise(text: str) -> str:
    """``1,250.5`` written with the active language's separators (``1.250,5`` in Spanish)."""
    decimal_sep = str(get_format("DECIMAL_SEPARATOR"))
    thousand_sep = str(get_format("THOUSAND_SEPARATOR"))
    if (decimal_sep, thousand_sep) == (".", ","):
        return text
    return text.translate({ord(","): thousand_sep, ord("."): decimal_sep})


def _target_label(target: TargetLine) -> str:
    return _clean(target.label).strip() or _("Target")


def _with_unit(number_text: str, unit: str) -> str:
    if not unit:
        return number_text
    if unit == "%":
        return number_text + "%"
    return f"{number_text} {unit}"


def _plain(number: Decimal) -> str:
    """Machine-readable number for CSV: no separators, no exponent, no trailing zeros."""
    text = format(number.normalize(), "f")
    return "0" if text == "-0" else text


# --- scales --------------------------------------------------------------------------------


def _nice_step(span: Decimal, intervals: int) -> Decimal:
    """The 1, 2 or 5 x 10^n step closest to ``span / intervals``."""
    raw = span / intervals
    exponent = raw.adjusted()
    fraction = raw.scaleb(-exponent)
    if fraction < Decimal("1.5"):
        nice = 1
    elif fraction < 3:
        nice = 2
    elif fraction < 7:
        nice = 5
    else:
        nice = 10
    return Decimal(nice).scaleb(exponent)


def nice_ticks(low: Number, high: Number, intervals: int = 4) -> list[Decimal]:
    """Ticks at multiples of a 1, 2 or 5 x 10^n step, covering ``low`` .. ``high``.

    Equal bounds are widened (to zero where possible) so a single value still gets an axis.
    """
    lo, hi = _to_decimal(low), _to_decimal(high)
    if lo is None or hi is None:
        raise ValueError("nice_ticks needs finite bounds")
    if lo > hi:
        lo, hi = hi, lo
    if lo == hi:
        if lo > 0:
            lo = Decimal(0)
        elif hi < 0:
            hi = Decimal(0)
        else:
            hi = Decimal(1)
    step = _nice_step(hi - lo, intervals)
    first = (lo / step).to_integral_value(rounding=ROUND_FLOOR)
    last = (hi / step).to_integral_value(rounding=ROUND_CEILING)
    return [(first + i) * step for i in range(int(last - first) + 1)]


def _axis_formatter(ticks: Sequence[Decimal], unit: str) -> Callable[[Decimal], str]:
    step = ticks[1] - ticks[0] if len(ticks) > 1 else Decimal(1)
    largest = max(abs(ticks[0]), abs(ticks[-1]))
    if largest >= 1_000_000:
        scale, suffix = Decimal(1_000_000), "M"
    elif largest >= 10_000:
        scale, suffix = Decimal(1_000), "k"
    else:
        scale, suffix = Decimal(1), ""
    exponent = (step / scale).normalize().as_tuple().exponent
    decimals = max(0, -exponent) if isinstance(exponent, int) else 0

    def fmt(value: Decimal) -> str:
        if value == 0:
            return "0%" if unit == "%" else "0"
        text = f"{value / scale:,.{decimals}f}"
        if "." in text:
            text = text.rstrip("0").rstrip(".")
        text = _localise(text) + suffix
        return text + "%" if unit == "%" else text

    return fmt


class _Linear:
    """Maps a value domain onto a pixel range (which may run backwards, as y does)."""

    def __init__(self, d0: Decimal, d1: Decimal, r0: float, r1: float) -> None:
        self.d0, self.d1, self.r0, self.r1 = d0, d1, r0, r1

    def __call__(self, value: Decimal) -> float:
        if self.d1 == self.d0:
            return (self.r0 + self.r1) / 2
        share = float((value - self.d0) / (self.d1 - self.d0))
        return self.r0 + share * (self.r1 - self.r0)


# --- series helpers ------------------------------------------------------------------------


@dataclass(frozen=True)
class _Point:
    when: date
    value: Decimal | None
    label: str

    @property
    def name(self) -> str:
        return self.label or self.when.isoformat()


def _series(points: Iterable[ChartPoint] | None) -> list[_Point]:
    """Normalised copy sorted by date (stable, so equal dates keep the caller's order)."""
    return sorted(
        (_Point(p.when, _to_decimal(p.value), _clean(p.label).strip()) for p in points or ()),
        key=lambda p: p.when,
    )


def _runs(points: Sequence[_Point]) -> list[list[_Point]]:
    """Consecutive non-missing points; a missing value ends a run (a gap in the line)."""
    runs: list[list[_Point]] = []
    current: list[_Point] = []
    for point in points:
        if point.value is None:
            if current:
                runs.append(current)
            current = []
        else:
            current.append(point)
    if current:
        runs.append(current)
    return runs


def _interpolate(points: Sequence[_Point], when: date) -> Decimal | None:
    """The straight-line value between the known points either side of ``when``."""
    known = [p for p in points if p.value is not None]
    for before, after in itertools.pairwise(known):
        if before.when <= when <= after.when:
            assert before.value is not None and after.value is not None
            span = (after.when - before.when).days
            if span == 0:
                return after.value
            elapsed = (when - before.when).days
            return before.value + (after.value - before.value) * Decimal(elapsed) / span
    if len(known) == 1 and known[0].when == when:
        return known[0].value
    return None


def _chart_svg(
    *,
    id_prefix: str,
    classes: str,
    width: float,
    height: float,
    title: str,
    desc: str,
    body: str,
) -> SafeString:
    """The root ``<svg>`` around ``body`` (already escaped markup), named by its title and
    described by its desc; the one place a chart becomes safe."""
    content = (
        _el("title", {"id": f"{id_prefix}-title"}, _text(title))
        + _el("desc", {"id": f"{id_prefix}-desc"}, _text(desc))
        + body
    )
    svg = _el(
        "svg",
        {
            "xmlns": "http://www.w3.org/2000/svg",
            "class": classes,
            "role": "img",
            "aria-labelledby": f"{id_prefix}-title {id_prefix}-desc",
            "viewBox": f"0 0 {_coord(width)} {_coord(height)}",
            "width": "100%",
            "preserveAspectRatio": "xMidYMid meet",
            "font-family": FONT_FAMILY,
            "font-size": FONT_SIZE,
            "fill": INK,
        },
        content,
    )
    return mark_safe(svg)  # noqa: S308 - every text and attribute inside is escaped


# --- progress chart ------------------------------------------------------------------------


def _describe_progress(
    actual: Sequence[_Point],
    target_value: Decimal | None,
    target: TargetLine | None,
    trajectory: Sequence[_Point],
    unit: str,
) -> str:
    def num(value: Decimal) -> str:
        return _with_unit(format_number(value), unit)

    sentences: list[str] = []
    known = [p for p in actual if p.value is not None]
    missing = len(actual) - len(known)
    if not known:
        sentences.append(_("No results reported yet."))
    elif len(known) == 1:
        only = known[0]
        assert only.value is not None
        sentences.append(
            _("One result reported: %(value)s in %(period)s.")
            % {"value": num(only.value), "period": only.name}
        )
    else:
        sentences.append(_describe_trend(known, num))
    if missing and known:
        sentences.append(
            ngettext(
                "%(count)d period has no reported value.",
                "%(count)d periods have no reported value.",
                missing,
            )
            % {"count": missing}
        )
    if target is not None and target_value is not None:
        values = {"label": _clean(target.label).strip(), "value": num(target_value)}
        if target.by:
            values["date"] = date_format(target.by, "DATE_FORMAT")
        if values["label"] and target.by:
            sentences.append(_("%(label)s: %(value)s by %(date)s.") % values)
        elif values["label"]:
            sentences.append(_("%(label)s: %(value)s.") % values)
        elif target.by:
            sentences.append(_("The target is %(value)s by %(date)s.") % values)
        else:
            sentences.append(_("The target is %(value)s.") % values)
    if known:
        latest = known[-1]
        expected = _interpolate(trajectory, latest.when)
        if expected is not None and latest.value is not None:
            expected = _round(expected, 2)
            values = {
                "value": num(latest.value),
                "period": latest.name,
                "expected": num(expected),
            }
            if latest.value > expected:
                sentence = _(
                    "The latest result (%(value)s in %(period)s) is above the expected "
                    "%(expected)s."
                )
            elif latest.value < expected:
                sentence = _(
                    "The latest result (%(value)s in %(period)s) is below the expected "
                    "%(expected)s."
                )
            else:
                sentence = _(
                    "The latest result (%(value)s in %(period)s) is equal to the expected "
                    "%(expected)s."
                )
            sentences.append(sentence % values)
    return " ".join(sentences)


def _describe_trend(known: Sequence[_Point], num: Callable[[Decimal], str]) -> str:
    """One sentence on two or more reported values: where they went, and their range when it
    reaches beyond the first and last."""
    first, last = known[0], known[-1]
    assert first.value is not None and last.value is not None
    values = [p.value for p in known if p.value is not None]
    low, high = min(values), max(values)
    facts = {
        "first": num(first.value),
        "first_period": first.name,
        "last": num(last.value),
        "last_period": last.name,
        "low": num(low),
        "high": num(high),
        "count": len(known),
    }
    ranging = low < min(first.value, last.value) or high > max(first.value, last.value)
    if last.value > first.value and ranging:
        sentence = _(
            "Actual values rise from %(first)s in %(first_period)s to %(last)s in "
            "%(last_period)s, ranging between %(low)s and %(high)s (%(count)d results reported)."
        )
    elif last.value > first.value:
        sentence = _(
            "Actual values rise from %(first)s in %(first_period)s to %(last)s in "
            "%(last_period)s (%(count)d results reported)."
        )
    elif last.value < first.value and ranging:
        sentence = _(
            "Actual values fall from %(first)s in %(first_period)s to %(last)s in "
            "%(last_period)s, ranging between %(low)s and %(high)s (%(count)d results reported)."
        )
    elif last.value < first.value:
        sentence = _(
            "Actual values fall from %(first)s in %(first_period)s to %(last)s in "
            "%(last_period)s (%(count)d results reported)."
        )
    elif ranging:
        sentence = _(
            "Actual values are %(first)s in both %(first_period)s and %(last_period)s, ranging "
            "between %(low)s and %(high)s (%(count)d results reported)."
        )
    else:
        sentence = _(
            "Actual values are %(first)s in both %(first_period)s and %(last_period)s "
            "(%(count)d results reported)."
        )
    return str(sentence % facts)


def _legend(
    items: Sequence[tuple[str, str]], *, left: float, right: float, top: float
) -> tuple[str, int]:
    """Legend entries (kind, text) laid out in rows; returns (markup, number of rows)."""
    swatch, gap, spacing, row_height = 26.0, 6.0, 20.0, 20.0
    rows: list[list[tuple[str, str, float]]] = [[]]
    x = left
    for kind, label in items:
        text = _truncate(label, right - left - swatch - gap)
        needed = swatch + gap + _text_width(text)
        if rows[-1] and x + needed > right:
            rows.append([])
            x = left
        rows[-1].append((kind, text, x))
        x += needed + spacing
    if not rows[-1]:
        return "", 0
    parts: list[str] = []
    for index, row in enumerate(rows):
        cy = top + index * row_height + 6
        for kind, text, x0 in row:
            parts.append(_legend_swatch(kind, x0, cy, swatch))
            parts.append(
                _el(
                    "text",
                    {"x": x0 + swatch + gap, "y": cy + 4.0, "fill": INK},
                    _text(text),
                )
            )
    markup = _el("g", {"class": "cg-chart-legend"}, "".join(parts))
    return markup, len(rows)


def _legend_swatch(kind: str, x: float, cy: float, width: float) -> str:
    line = {"x1": x, "y1": cy, "x2": x + width, "y2": cy}
    if kind == "actual":
        return _el(
            "line",
            {**line, "class": "cg-chart-actual", "stroke": ACTUAL, "stroke-width": 2.5},
        ) + _el("circle", {"cx": x + width / 2, "cy": cy, "r": 4.0, "fill": ACTUAL})
    if kind == "target":
        return _el(
            "line",
            {
                **line,
                "class": "cg-chart-target",
                "stroke": TARGET,
                "stroke-width": 2,
                "stroke-dasharray": "8 5",
            },
        )
    if kind == "expected":
        return _el(
            "line",
            {
                **line,
                "class": "cg-chart-trajectory",
                "stroke": EXPECTED,
                "stroke-width": 2.5,
                "stroke-dasharray": "1 5",
                "stroke-linecap": "round",
            },
        )
    return _diamond(x + width / 2, cy, "cg-chart-period-target-key")


def _backdrop(
    x: float,
    baseline: float,
    text: str,
    font_size: float,
    *,
    anchor: str = "start",
    bold: bool = False,
) -> str:
    """A white box behind a label drawn over the plot (``paint-order`` halos are not supported
    by every renderer, PDF ones included)."""
    text_width = _text_width(text, font_size) * (1.1 if bold else 1.0)
    left = {"start": x, "middle": x - text_width / 2, "end": x - text_width}[anchor]
    return _el(
        "rect",
        {
            "class": "cg-chart-backdrop",
            "x": left - 3,
            "y": baseline - font_size,
            "width": text_width + 6,
            "height": font_size * 1.25,
            "fill": HALO,
        },
    )


def _diamond(cx: float, cy: float, css_class: str, title: str | None = None) -> str:
    r = 5.0
    points = f"{_coord(cx)},{_coord(cy - r)} {_coord(cx + r)},{_coord(cy)} "
    points += f"{_coord(cx)},{_coord(cy + r)} {_coord(cx - r)},{_coord(cy)}"
    return _el(
        "polygon",
        {
            "class": css_class,
            "points": points,
            "fill": HALO,
            "stroke": TARGET,
            "stroke-width": 2,
        },
        _el("title", {}, _text(title)) if title else None,
    )


def _x_tick_labels(
    candidates: Sequence[tuple[float, str]], *, min_x: float, max_x: float
) -> list[tuple[float, str, float]]:
    """Choose tick labels that do not overlap: (tick x, text, label centre x).

    Labels go left to right, each kept only if it clears the last kept one; the final tick is
    always labelled (the most recent period matters most), displacing earlier labels if needed.
    """
    gap = 6.0

    def placed(x: float, text: str) -> tuple[float, str, float]:
        half = _text_width(text) / 2
        centre = min(max(x, min_x + half), max_x - half)
        return (x, text, centre)

    def clears(a: tuple[float, str, float], b: tuple[float, str, float]) -> bool:
        return a[2] + _text_width(a[1]) / 2 + gap <= b[2] - _text_width(b[1]) / 2

    kept: list[tuple[float, str, float]] = []
    for x, text in candidates:
        label = placed(x, text)
        if not kept or clears(kept[-1], label):
            kept.append(label)
    if candidates:
        final = placed(*candidates[-1])
        if kept[-1][0] != final[0]:
            while kept and not clears(kept[-1], final):
                kept.pop()
            kept.append(final)
    return kept


def progress_chart(
    *,
    id_prefix: str,
    title: str,
    points: Sequence[ChartPoint],
    target: TargetLine | None = None,
    trajectory: Sequence[ChartPoint] | None = None,
    period_targets: Sequence[ChartPoint] | None = None,
    unit: str = "",
    width: int = 640,
    height: int = 280,
    zero_based: bool | None = None,
    show_title: bool = False,
) -> SafeString:
    """An indicator's actual results over time against its target(s), as an SVG line chart.

    * ``points``: the reported actuals, placed on the x axis in proportion to their dates and
      labelled with their period labels; ``None`` values break the line.
    * ``target``: the end target, a dashed horizontal line labelled with its value.
    * ``trajectory``: the expected path (usually baseline to target), a dotted line.
    * ``period_targets``: per-period targets, hollow diamonds.
    * ``zero_based``: force (True) or forbid (False) zero on the y axis; by default zero is
      included when the data sit closer to zero than their own spread.
    * ``show_title``: also draw the title as visible text (by default the page's heading does).
    """
    prefix = _check_id(id_prefix)
    unit = _clean(unit).strip()
    title = _clean(title).strip()
    actual = _series(points)
    expected = _series(trajectory)
    per_period = _series(period_targets)
    target_value = _to_decimal(target.value) if target is not None else None

    desc = _describe_progress(actual, target_value, target, expected, unit)

    values = [p.value for p in (*actual, *expected, *per_period) if p.value is not None]
    if target_value is not None:
        values.append(target_value)
    dates = [p.when for p in (*actual, *expected, *per_period)]
    if target is not None and target_value is not None and target.by is not None:
        dates.append(target.by)

    pad = 8.0
    top = 20.0
    parts: list[str] = []
    if show_title:
        parts.append(
            _el(
                "text",
                {
                    "class": "cg-chart-title",
                    "x": pad,
                    "y": 18.0,
                    "font-size": 15,
                    "font-weight": "bold",
                },
                _text(_truncate(title, width - 2 * pad, 15)),
            )
        )
        top += 24
    if unit and unit != "%":
        parts.append(
            _el(
                "text",
                {"class": "cg-chart-unit", "x": pad, "y": top + 2, "fill": MUTED},
                _text(_truncate(unit, width / 2)),
            )
        )
        top += 26

    # Y scale.
    ticks: list[Decimal] = []
    if values:
        low, high = min(values), max(values)
        include_zero = zero_based
        if include_zero is None:
            include_zero = (low >= 0 and low <= high - low) or (high <= 0 and -high <= high - low)
        if include_zero:
            low, high = min(low, Decimal(0)), max(high, Decimal(0))
        ticks = nice_ticks(low, high)
        if len(ticks) > 1 and ticks[0] == low and low != 0:
            # Keep the lowest line (often a falling indicator's target) off the x axis.
            ticks.insert(0, ticks[0] - (ticks[1] - ticks[0]))
    fmt = _axis_formatter(ticks, unit) if ticks else str
    tick_texts = [fmt(t) for t in ticks]
    label_room = max((_text_width(t) for t in tick_texts), default=0.0)
    plot_left = pad + label_room + 10 if ticks else pad
    plot_right = width - pad - 8

    # Legend (it decides how much room is left for the plot).
    legend_items: list[tuple[str, str]] = []
    if any(p.value is not None for p in actual):
        legend_items.append(("actual", _("Actual")))
    if target is not None and target_value is not None:
        facts = {
            "label": _target_label(target),
            "value": _with_unit(format_number(target_value), unit),
        }
        if target.by:
            facts["date"] = date_format(target.by, "SHORT_DATE_FORMAT")
            legend_items.append(("target", _("%(label)s: %(value)s by %(date)s") % facts))
        else:
            legend_items.append(("target", _("%(label)s: %(value)s") % facts))
    if any(p.value is not None for p in expected):
        legend_items.append(("expected", _("Expected (trajectory)")))
    if any(p.value is not None for p in per_period):
        legend_items.append(("period", _("Period targets")))
    _markup, legend_rows = _legend(legend_items, left=pad, right=width - pad, top=0)
    bottom_room = 26.0 + (legend_rows * 20.0 + 10 if legend_rows else 0) + 4
    total_height = float(max(height, int(top + 100 + bottom_room)))
    plot_top = top
    plot_bottom = total_height - bottom_room

    y_scale = (
        _Linear(ticks[0], ticks[-1], plot_bottom, plot_top)
        if ticks
        else _Linear(Decimal(0), Decimal(1), plot_bottom, plot_top)
    )

    # X scale: days since the first date, inset so markers clear the plot's edges.
    inset = 16.0
    if dates:
        first_day, last_day = min(dates), max(dates)
        x_scale = _Linear(
            Decimal(0),
            Decimal((last_day - first_day).days),
            plot_left + inset,
            plot_right - inset,
        )
    else:
        first_day = date.min
        x_scale = _Linear(Decimal(0), Decimal(0), plot_left, plot_right)

    def x_of(when: date) -> float:
        return x_scale(Decimal((when - first_day).days))

    def y_of(value: Decimal) -> float:
        return y_scale(value)

    # Frame: gridlines and y tick labels, or an empty panel.
    if ticks:
        grid: list[str] = []
        labels: list[str] = []
        for tick, text in zip(ticks, tick_texts, strict=True):
            y = y_of(tick)
            is_zero = tick == 0 and ticks[0] < 0
            grid.append(
                _el(
                    "line",
                    {
                        "x1": plot_left,
                        "y1": y,
                        "x2": plot_right,
                        "y2": y,
                        "stroke": MUTED if is_zero else GRID,
                        "stroke-width": 1,
                    },
                )
            )
            labels.append(
                _el(
                    "text",
                    {
                        "class": "cg-chart-tick-label",
                        "x": plot_left - 8,
                        "y": y + 4,
                        "text-anchor": "end",
                        "fill": MUTED,
                    },
                    _text(text),
                )
            )
        parts.append(_el("g", {"class": "cg-chart-grid"}, "".join(grid)))
        parts.append(_el("g", {"class": "cg-chart-yaxis"}, "".join(labels)))
        parts.append(
            _el(
                "line",
                {
                    "class": "cg-chart-axis",
                    "x1": plot_left,
                    "y1": plot_bottom,
                    "x2": plot_right,
                    "y2": plot_bottom,
                    "stroke": MUTED,
                    "stroke-width": 1,
                },
            )
        )
    else:
        parts.append(
            _el(
                "rect",
                {
                    "class": "cg-chart-frame",
                    "x": plot_left,
                    "y": plot_top,
                    "width": plot_right - plot_left,
                    "height": plot_bottom - plot_top,
                    "fill": PANEL,
                    "stroke": GRID,
                },
            )
        )

    # X ticks: every dated period gets a tick mark; labels are thinned so they never overlap.
    names: dict[date, str] = {}
    for series in (actual, per_period, expected):
        for p in series:
            if p.label and p.when not in names:
                names[p.when] = p.label
    for when in sorted(set(dates)):
        names.setdefault(when, when.isoformat())
    candidates = [(x_of(when), names[when]) for when in sorted(names)]
    if candidates:
        marks = [
            _el(
                "line",
                {"x1": x, "y1": plot_bottom, "x2": x, "y2": plot_bottom + 4, "stroke": MUTED},
            )
            for x, _name in candidates
        ]
        labels = []
        for _x, text, centre in _x_tick_labels(candidates, min_x=pad, max_x=width - pad):
            labels.append(
                _el(
                    "text",
                    {
                        "class": "cg-chart-tick-label",
                        "x": centre,
                        "y": plot_bottom + 18,
                        "text-anchor": "middle",
                        "fill": MUTED,
                    },
                    _text(text),
                )
            )
        parts.append(_el("g", {"class": "cg-chart-xaxis"}, "".join(marks + labels)))

    def number_text(value: Decimal) -> str:
        return _with_unit(format_number(value), unit)

    # Target line, labelled above its left end (the trajectory meets it at the right end).
    if target is not None and target_value is not None:
        y = y_of(target_value)
        label = _target_label(target)
        caption = _truncate(f"{label} {number_text(target_value)}", (plot_right - plot_left) / 2)
        parts.append(
            _el(
                "g",
                {"class": "cg-chart-target-group"},
                _el(
                    "line",
                    {
                        "class": "cg-chart-target",
                        "x1": plot_left,
                        "y1": y,
                        "x2": plot_right,
                        "y2": y,
                        "stroke": TARGET,
                        "stroke-width": 2,
                        "stroke-dasharray": "8 5",
                    },
                )
                + _backdrop(plot_left + 4, y - 6, caption, FONT_SIZE, bold=True)
                + _el(
                    "text",
                    {
                        "class": "cg-chart-target-label",
                        "x": plot_left + 4,
                        "y": y - 6,
                        "fill": TARGET,
                        "font-weight": "bold",
                    },
                    _text(caption),
                ),
            )
        )

    def polyline(run: Sequence[_Point], attrs: Mapping[str, object]) -> str:
        coords = " ".join(
            f"{_coord(x_of(p.when))},{_coord(y_of(p.value))}" for p in run if p.value is not None
        )
        return _el("polyline", {**attrs, "points": coords, "fill": "none"})

    # Expected trajectory, dotted.
    expected_runs = [run for run in _runs(expected) if len(run) > 1]
    if expected_runs:
        parts.append(
            _el(
                "g",
                {"class": "cg-chart-trajectory-group"},
                "".join(
                    polyline(
                        run,
                        {
                            "class": "cg-chart-trajectory",
                            "stroke": EXPECTED,
                            "stroke-width": 2.5,
                            "stroke-dasharray": "1 5",
                            "stroke-linecap": "round",
                        },
                    )
                    for run in expected_runs
                ),
            )
        )

    # Period targets, hollow diamonds.
    diamonds = [
        _diamond(
            x_of(p.when),
            y_of(p.value),
            "cg-chart-period-target",
            _("Target for %(period)s: %(value)s")
            % {"period": p.name, "value": number_text(p.value)},
        )
        for p in per_period
        if p.value is not None
    ]
    if diamonds:
        parts.append(_el("g", {"class": "cg-chart-period-targets"}, "".join(diamonds)))

    # Actuals: solid line per unbroken run, a marker on every reported value.
    runs = _runs(actual)
    if runs:
        lines = [
            polyline(
                run,
                {
                    "class": "cg-chart-actual",
                    "stroke": ACTUAL,
                    "stroke-width": 2.5,
                    "stroke-linejoin": "round",
                    "stroke-linecap": "round",
                },
            )
            for run in runs
            if len(run) > 1
        ]
        markers = [
            _el(
                "circle",
                {
                    "class": "cg-chart-point",
                    "cx": x_of(p.when),
                    "cy": y_of(p.value),
                    "r": 4.5,
                    "fill": ACTUAL,
                    "stroke": HALO,
                    "stroke-width": 1.5,
                },
                _el("title", {}, _text(f"{p.name}: {number_text(p.value)}")),
            )
            for run in runs
            for p in run
            if p.value is not None
        ]
        parts.append(_el("g", {"class": "cg-chart-actual-group"}, "".join(lines + markers)))
    else:
        centre, baseline = (plot_left + plot_right) / 2, (plot_top + plot_bottom) / 2 + 5
        if ticks:  # keep the message clear of gridlines
            parts.append(_backdrop(centre, baseline, str(NO_RESULTS), 14, anchor="middle"))
        parts.append(
            _el(
                "text",
                {
                    "class": "cg-chart-empty",
                    "x": centre,
                    "y": baseline,
                    "text-anchor": "middle",
                    "font-size": 14,
                    "fill": MUTED,
                },
                _text(str(NO_RESULTS)),
            )
        )

    legend, _rows = _legend(legend_items, left=pad, right=width - pad, top=plot_bottom + 32)
    parts.append(legend)

    return _chart_svg(
        id_prefix=prefix,
        classes="cg-chart cg-chart-progress",
        width=width,
        height=total_height,
        title=title,
        desc=desc,
        body="".join(parts),
    )


# --- bar chart -----------------------------------------------------------------------------


def bar_chart(
    *,
    id_prefix: str,
    title: str,
    bars: Sequence[tuple[str, Number | None]],
    unit: str = "",
    width: int = 640,
    bar_height: int = 28,
    show_share: bool = False,
    show_title: bool = False,
) -> SafeString:
    """Horizontal bars for a breakdown (e.g. Female 120, Male 98, Other 3).

    Categories keep the caller's order. A ``None`` value draws no bar but says "Not reported"
    where the bar would be. ``show_share`` adds each bar's share of the total to its label
    (only when no value is negative). The height grows with the number of bars.
    """
    prefix = _check_id(id_prefix)
    unit = _clean(unit).strip()
    title = _clean(title).strip()
    rows = [(_clean(name).strip(), _to_decimal(value)) for name, value in bars]
    known = [value for _name, value in rows if value is not None]
    total = sum(known, Decimal(0))
    shares = bool(known) and all(v >= 0 for v in known) and total > 0

    def value_text(value: Decimal | None, *, share: bool) -> str:
        if value is None:
            return str(NOT_REPORTED)
        text = _with_unit(format_number(value), unit)
        if share and shares:
            text += f" ({format_number(value * 100 / total, 1)}%)"
        return text

    # Description.
    if known:
        described = "; ".join(
            _("%(name)s: %(value)s")
            % {"name": name or UNLABELLED, "value": value_text(value, share=True)}
            for name, value in rows
            if value is not None
        )
        desc = described + "."
        if len(known) > 1:
            desc += " " + _("Total %(value)s.") % {"value": _with_unit(format_number(total), unit)}
        absent = [name or str(UNLABELLED) for name, value in rows if value is None]
        if absent:
            desc += " " + _("Not reported: %(names)s.") % {"names": ", ".join(absent)}
    else:
        desc = _("No data reported yet.")

    pad = 8.0
    font = 13
    gap = 10.0
    top = pad
    parts: list[str] = []
    if show_title:
        parts.append(
            _el(
                "text",
                {
                    "class": "cg-chart-title",
                    "x": pad,
                    "y": 18.0,
                    "font-size": 15,
                    "font-weight": "bold",
                },
                _text(_truncate(title, width - 2 * pad, 15)),
            )
        )
        top += 28

    if not known:
        total_height = top + 48
        parts.append(
            _el(
                "rect",
                {
                    "class": "cg-chart-frame",
                    "x": pad,
                    "y": top,
                    "width": width - 2 * pad,
                    "height": 40.0,
                    "fill": PANEL,
                    "stroke": GRID,
                },
            )
            + _el(
                "text",
                {
                    "class": "cg-chart-empty",
                    "x": width / 2,
                    "y": top + 25,
                    "text-anchor": "middle",
                    "font-size": 14,
                    "fill": MUTED,
                },
                _text(str(NO_DATA)),
            )
        )
    else:
        names = [name or str(UNLABELLED) for name, _value in rows]
        label_room = min(max(_text_width(n, font) for n in names), width * 0.35)
        texts = [value_text(value, share=show_share) for _name, value in rows]
        right_room = max(
            (
                _text_width(t, font)
                for t, (_name, v) in zip(texts, rows, strict=True)
                if v is None or v >= 0
            ),
            default=0.0,
        )
        left_room = max(
            (
                _text_width(t, font)
                for t, (_name, v) in zip(texts, rows, strict=True)
                if v is not None and v < 0
            ),
            default=0.0,
        )
        plot_left = pad + label_room + 12 + (left_room + 10 if left_room else 0)
        plot_right = width - pad - (right_room + 10 if right_room else 0)
        low = min(min(known), Decimal(0))
        high = max(max(known), Decimal(0))
        if low == high:
            high = Decimal(1)
        x_scale = _Linear(low, high, plot_left, plot_right)
        zero_x = x_scale(Decimal(0))
        row_height = bar_height + gap
        groups: list[str] = []
        for index, ((_name, value), shown_name, text) in enumerate(
            zip(rows, names, texts, strict=True)
        ):
            y = top + index * row_height
            middle = y + bar_height / 2 + font * 0.35
            content = _el("title", {}, _text(f"{shown_name}: {value_text(value, share=True)}"))
            content += _el(
                "text",
                {
                    "class": "cg-chart-bar-label",
                    "x": pad + label_room,
                    "y": middle,
                    "text-anchor": "end",
                    "font-size": font,
                    "fill": INK,
                },
                _text(_truncate(shown_name, label_room, font)),
            )
            if value is None:
                content += _el(
                    "text",
                    {
                        "class": "cg-chart-missing",
                        "x": zero_x + 6,
                        "y": middle,
                        "font-size": font,
                        "font-style": "italic",
                        "fill": MUTED,
                    },
                    _text(text),
                )
            else:
                end = x_scale(value)
                content += _el(
                    "rect",
                    {
                        "class": "cg-chart-bar",
                        "x": min(zero_x, end),
                        "y": float(y),
                        "width": abs(end - zero_x),
                        "height": bar_height,
                        "fill": ACTUAL,
                    },
                )
                negative = value < 0
                content += _el(
                    "text",
                    {
                        "class": "cg-chart-bar-value",
                        "x": end - 6 if negative else end + 6,
                        "y": middle,
                        "text-anchor": "end" if negative else "start",
                        "font-size": font,
                        "fill": INK,
                    },
                    _text(text),
                )
            groups.append(_el("g", {"class": "cg-chart-bar-row"}, content))
        parts.append("".join(groups))
        bars_bottom = top + len(rows) * row_height - gap
        parts.append(
            _el(
                "line",
                {
                    "class": "cg-chart-axis",
                    "x1": zero_x,
                    "y1": top - 4,
                    "x2": zero_x,
                    "y2": bars_bottom + 4,
                    "stroke": MUTED,
                    "stroke-width": 1,
                },
            )
        )
        total_height = bars_bottom + pad

    return _chart_svg(
        id_prefix=prefix,
        classes="cg-chart cg-chart-bars",
        width=width,
        height=total_height,
        title=title,
        desc=desc,
        body="".join(parts),
    )


# --- progress bar --------------------------------------------------------------------------


def status_slug(status: str) -> str:
    """``"On track"`` -> ``"on_track"``: safe to use in a class name."""
    slug = _STATUS_SLUG.sub("", _clean(status).strip().lower().replace(" ", "_").replace("-", "_"))
    return slug or "unknown"


def progress_bar(
    *,
    percent: Number | None,
    status: str,
    label: str,
    status_label: str | None = None,
    show_status: bool = False,
) -> SafeString:
    """A small inline bar (0-100 %) with the percentage as text, for lists and trees.

    The root carries ``class="cg-progress status-<status>"`` so CSS can colour it; the status
    is also given in words in the accessible name (``<title>`` and ``aria-label``), and drawn
    after the percentage when ``show_status`` is set. Values over 100 % fill the bar and show
    their real number; ``None`` shows "No data".
    """
    slug = status_slug(status)
    words = _clean(status_label).strip() if status_label else ""
    if not words:
        words = slug.replace("_", " ").capitalize()
    value = _to_decimal(percent)
    if value is None:
        shown = _("No data")
    elif 0 < value < 1:
        shown = "<1%"
    else:
        shown = format_number(value, 0) + "%"
    name = f"{_clean(label).strip()}: {shown}, {words}" if label.strip() else f"{shown}, {words}"

    track_width, height = 112.0, 20.0
    text = f"{shown} · {words}" if show_status else shown
    total_width = track_width + 10 + max(_text_width(text), _text_width("100%")) * 1.1
    fill = STATUS_COLOURS.get(slug, STATUS_FALLBACK)
    share = min(max(float(value), 0.0), 100.0) / 100 if value is not None else 0.0
    body = _el("title", {}, _text(name))
    body += _el(
        "rect",
        {
            "class": "cg-progress-track",
            "x": 0.5,
            "y": 5.5,
            "width": track_width - 1,
            "height": 9,
            "rx": 2,
            "fill": GRID,
            "stroke": MUTED,
            "stroke-width": 1,
        },
    )
    if share > 0:
        body += _el(
            "rect",
            {
                "class": "cg-progress-fill",
                "x": 0.5,
                "y": 5.5,
                "width": max((track_width - 1) * share, 2.0),
                "height": 9,
                "rx": 2,
                "fill": fill,
            },
        )
    body += _el(
        "text",
        {"class": "cg-progress-text", "x": track_width + 6, "y": 14.5, "fill": INK},
        _text(text),
    )
    svg = _el(
        "svg",
        {
            "xmlns": "http://www.w3.org/2000/svg",
            "class": f"cg-progress status-{slug}",
            "role": "img",
            "aria-label": name,
            "viewBox": f"0 0 {_coord(total_width)} {_coord(height)}",
            "width": f"{_coord(total_width / 16)}em",
            "height": f"{_coord(height / 16)}em",
            "preserveAspectRatio": "xMinYMid meet",
            "font-family": FONT_FAMILY,
            "font-size": FONT_SIZE,
        },
        body,
    )
    return mark_safe(svg)  # noqa: S308 - every text is escaped


# --- data behind the chart -----------------------------------------------------------------

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _csv_text(value: str) -> str:
    """Text cell safe to open in a spreadsheet: formula-like text is prefixed with a quote."""
    return "'" + value if value.startswith(_FORMULA_START) else value


type ChartRow = tuple[str, Decimal | None, Decimal | None, Decimal | None]


def chart_data_rows(
    points: Sequence[ChartPoint],
    *,
    target: TargetLine | None = None,
    trajectory: Sequence[ChartPoint] | None = None,
    period_targets: Sequence[ChartPoint] | None = None,
) -> list[ChartRow]:
    """The data behind a progress chart, one ``(period, actual, target, expected)`` row per
    date of any series (plus the end target's date), oldest first: the table shown beside the
    chart and the rows of its CSV. ``target`` is the period target where one is given,
    otherwise the end target; ``expected`` is the trajectory interpolated on that date."""
    actual = _series(points)
    expected = _series(trajectory)
    per_period = _series(period_targets)
    end_value = _to_decimal(target.value) if target is not None else None

    names: dict[date, str] = {}
    for series in (actual, per_period, expected):
        for p in series:
            if p.label and p.when not in names:
                names[p.when] = p.label
    dates = {p.when for p in (*actual, *per_period, *expected)}
    if target is not None and target.by is not None and end_value is not None:
        dates.add(target.by)
    actual_by_date = {p.when: p.value for p in actual}
    period_by_date = {p.when: p.value for p in per_period}

    rows: list[ChartRow] = []
    for when in sorted(dates):
        goal = period_by_date.get(when) if when in period_by_date else end_value
        guess = _interpolate(expected, when)
        rows.append(
            (
                names.get(when, when.isoformat()),
                actual_by_date.get(when),
                goal,
                _round(guess, 2) if guess is not None else None,
            )
        )
    return rows


def chart_data_csv(
    points: Sequence[ChartPoint],
    *,
    target: TargetLine | None = None,
    trajectory: Sequence[ChartPoint] | None = None,
    period_targets: Sequence[ChartPoint] | None = None,
) -> str:
    """The data behind a progress chart as CSV: ``period,actual,target,expected``.

    The rows of ``chart_data_rows``. Numbers are plain (``1250.5``); period names that look
    like formulas are prefixed with ``'`` so spreadsheets do not execute them.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    # The header is for the people who open the file: it follows the interface language.
    writer.writerow([_("period"), _("actual"), _("target"), _("expected")])
    rows = chart_data_rows(
        points, target=target, trajectory=trajectory, period_targets=period_targets
    )
    for name, value, goal, guess in rows:
        writer.writerow(
            [
                _csv_text(name),
                _plain(value) if value is not None else "",
                _plain(goal) if goal is not None else "",
                _plain(guess) if guess is not None else "",
            ]
        )
    return buffer.getvalue()
