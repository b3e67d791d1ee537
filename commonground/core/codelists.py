"""Codes from the IATI 2.03 codelists and the UN SDG framework, read from the shipped files.

IATI labels are English in every interface language (IATI publishes no Spanish); SDG titles
follow the active language where the UN's translation of the same text ships (see
standards/sdg/SOURCES.txt), English otherwise."""

import csv
import re
import unicodedata
import xml.etree.ElementTree as ET
from functools import cache
from pathlib import Path

from django.utils import translation

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


def label(codes: tuple[tuple[str, str], ...] | tuple[tuple[int, str], ...], code: object) -> str:
    for key, name in codes:
        if str(key) == str(code):
            return name
    return str(code)


# --- UN SDG framework ---------------------------------------------------------------------

SDG = STANDARDS / "sdg"
SDG_LANGUAGES = ("en", "es")  # the languages of the open-sdg-translations-<lang> folders shipped


def _sdg_language() -> str:
    language = (translation.get_language() or "en").split("-")[0].lower()
    return language if language in SDG_LANGUAGES else "en"


def read_open_sdg_yaml(path: Path) -> dict[str, str]:
    """The flat mapping of an open-sdg translations file ("1-1-title: By 2030, ..."). The files
    hold only top-level keys with plain, single- or double-quoted scalars folded over indented
    lines, so this small reader does without a YAML library."""
    entries: dict[str, list[str]] = {}
    key = ""
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if line[0].isspace():
            if key:
                entries[key].append(line.strip())
            continue
        key, _sep, rest = line.partition(":")
        key = key.strip()
        entries[key] = [rest.strip()]
    # NFC: the files spell some accented letters as a letter and a combining mark.
    return {
        key: unicodedata.normalize("NFC", _scalar(" ".join(parts).strip()))
        for key, parts in entries.items()
    }


def _scalar(text: str) -> str:
    if len(text) >= 2 and text[0] == text[-1] == "'":
        return text[1:-1].replace("''", "'")
    if len(text) >= 2 and text[0] == text[-1] == '"':
        return text[1:-1].replace('\\"', '"').replace("\\\\", "\\")
    return text


def _comparable(text: str) -> str:
    return re.sub(r"[^0-9a-z]+", " ", text.lower()).strip()


@cache
def _sdg_translations(language: str) -> dict[str, str]:
    """SDG code ("11", "11.5", "11.5.1") -> its title in `language`, for the codes whose English
    text in open-sdg equals the 2025 framework's: the translations follow an earlier edition, and
    a title translated from a since-revised indicator would say something else."""
    if language == "en":
        return {}
    english: dict[str, str] = {}
    translated: dict[str, str] = {}
    for kind in ("goals", "targets", "indicators"):
        english.update(read_open_sdg_yaml(SDG / "open-sdg-translations-en" / f"global_{kind}.yml"))
        translated.update(
            read_open_sdg_yaml(SDG / f"open-sdg-translations-{language}" / f"global_{kind}.yml")
        )
    titles: dict[str, str] = {}
    for kind, column in (("goals", "goal"), ("targets", "target"), ("indicators", "indicator")):
        path = SDG / f"sdg_framework_2025_{kind}.csv"
        with path.open(newline="", encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                key = row[column].replace(".", "-") + "-title"
                if translated.get(key) and _comparable(english.get(key, "")) == _comparable(
                    row["title"]
                ):
                    titles[row[column]] = translated[key]
    return titles


def sdg_title(code: str, english: str) -> str:
    """The title of an SDG goal, target or indicator in the active language (English when
    there is no translation of the current text)."""
    return _sdg_translations(_sdg_language()).get(str(code), english)


def sdg_goals() -> tuple[tuple[int, str], ...]:
    """(goal number, title) for the 17 goals, titles in the active language."""
    return _sdg_goals(_sdg_language())


def sdg_targets() -> tuple[tuple[str, str], ...]:
    """(target code such as "11.5", title) for the 169 SDG targets, in the active language."""
    return _sdg_targets(_sdg_language())


def sdg_indicators() -> tuple[tuple[str, str, str], ...]:
    """(indicator code such as "11.5.1", target code, title), one row per distinct code, titles
    in the active language."""
    return _sdg_indicators(_sdg_language())


@cache
def _sdg_goals(language: str) -> tuple[tuple[int, str], ...]:
    titles = _sdg_translations(language)
    with (SDG / "sdg_framework_2025_goals.csv").open(newline="", encoding="utf-8") as handle:
        return tuple(
            (int(row["goal"]), titles.get(row["goal"], row["title"]))
            for row in csv.DictReader(handle)
        )


@cache
def _sdg_targets(language: str) -> tuple[tuple[str, str], ...]:
    titles = _sdg_translations(language)
    with (SDG / "sdg_framework_2025_targets.csv").open(newline="", encoding="utf-8") as handle:
        return tuple(
            (row["target"], titles.get(row["target"], row["title"]))
            for row in csv.DictReader(handle)
        )


@cache
def _sdg_indicators(language: str) -> tuple[tuple[str, str, str], ...]:
    titles = _sdg_translations(language)
    seen: dict[str, tuple[str, str, str]] = {}
    path = SDG / "sdg_framework_2025_indicators.csv"
    with path.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            code = row["indicator"]
            seen.setdefault(code, (code, row["target"], titles.get(code, row["title"])))
    return tuple(seen.values())
