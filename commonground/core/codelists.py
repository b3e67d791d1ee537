"""Codes from the IATI 2.03 codelists and the UN SDG framework, read from the shipped files."""

import csv
import xml.etree.ElementTree as ET
from functools import cache
from pathlib import Path

STANDARDS = Path(__file__).resolve().parent / "standards"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def _english(node: ET.Element | None) -> str:
    if node is None:
        return ""
    for narrative in node.findall("narrative"):
        if narrative.get(XML_LANG) in (None, "en"):
            return (narrative.text or "").strip()
    return ""


@cache
def iati_codelist(name: str) -> tuple[tuple[str, str], ...]:
    """(code, English name) pairs of an IATI codelist, withdrawn codes left out."""
    for folder in ("embedded", "non-embedded"):
        path = STANDARDS / "iati" / "codelists" / folder / f"{name}.xml"
        if path.exists():
            break
    else:
        raise LookupError(f"no IATI codelist named {name}")
    root = ET.parse(path).getroot()  # noqa: S314
    items = []
    for item in root.iter("codelist-item"):
        if item.get("status") == "withdrawn":
            continue
        code = (item.findtext("code") or "").strip()
        items.append((code, _english(item.find("name"))))
    return tuple(items)


def organisation_types() -> tuple[tuple[str, str], ...]:
    return iati_codelist("OrganisationType")


def activity_statuses() -> tuple[tuple[str, str], ...]:
    return iati_codelist("ActivityStatus")


def organisation_roles() -> tuple[tuple[str, str], ...]:
    return iati_codelist("OrganisationRole")


def sector_categories() -> tuple[tuple[str, str], ...]:
    """OECD DAC 3-digit sector categories (IATI SectorCategory)."""
    return iati_codelist("SectorCategory")


@cache
def sdg_goals() -> tuple[tuple[int, str], ...]:
    path = STANDARDS / "sdg" / "sdg_framework_2025_goals.csv"
    with path.open(newline="", encoding="utf-8") as handle:
        return tuple((int(row["goal"]), row["title"]) for row in csv.DictReader(handle))


def label(codes: tuple[tuple[str, str], ...] | tuple[tuple[int, str], ...], code: object) -> str:
    for key, name in codes:
        if str(key) == str(code):
            return name
    return str(code)


@cache
def sdg_targets() -> tuple[tuple[str, str], ...]:
    """(target code such as "11.5", title) for the 169 SDG targets."""
    path = STANDARDS / "sdg" / "sdg_framework_2025_targets.csv"
    with path.open(newline="", encoding="utf-8") as handle:
        return tuple((row["target"], row["title"]) for row in csv.DictReader(handle))


@cache
def sdg_indicators() -> tuple[tuple[str, str, str], ...]:
    """(indicator code such as "11.5.1", target code, title), one row per distinct code."""
    path = STANDARDS / "sdg" / "sdg_framework_2025_indicators.csv"
    seen: dict[str, tuple[str, str, str]] = {}
    with path.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            seen.setdefault(row["indicator"], (row["indicator"], row["target"], row["title"]))
    return tuple(seen.values())
