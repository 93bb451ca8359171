"""One bibliography: every author–year citation in crmkit's code has an entry in
``book/references.md``, and no docstring points elsewhere with "op. cit." or "ibid."."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BIBLIOGRAPHY = (ROOT / "book" / "references.md").read_text(encoding="utf-8")
ENTRIES = [line for line in BIBLIOGRAPHY.splitlines() if line.startswith("- ")]
SOURCES = sorted((ROOT / "crmkit").rglob("*.py"))

#: "Surname (1985)", "Surname et al. (2008)", "A and B (2005)", "A, B & C 2010"
CITATION = re.compile(
    r"\b([A-Z][a-zà-ÿ'’\-]+)(?: et al\.| and [A-Z][^\s,()]+| & [A-Z][^\s,()]+)?,? "
    r"\(?((?:18|19|20)\d\d)[a-z]?\b"
)
NOT_AUTHORS = {
    "January", "February", "March", "April", "May", "June", "July", "August",
    "September", "October", "November", "December", "Aug", "Table", "Figure",
    "Fig", "Since", "In", "From", "The", "Python",
}  # fmt: skip


def citations(text: str) -> set[tuple[str, str]]:
    found = set()
    for m in CITATION.finditer(text):
        name, year = m.group(1), m.group(2)
        if name not in NOT_AUTHORS and name.lower() != name:
            found.add((re.sub(r"['’]s$", "", name), year))
    return found


def has_entry(name: str, year: str) -> bool:
    name = name.removesuffix("'s").removesuffix("’s")
    return any(name in e and year in e for e in ENTRIES)


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_citation_is_in_the_bibliography(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    missing = sorted(c for c in citations(text) if not has_entry(*c))
    assert not missing, f"{path.name} cites {missing}; add them to book/references.md"


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_op_cit(path: Path) -> None:
    text = path.read_text(encoding="utf-8").lower()
    assert "op. cit" not in text and "ibid." not in text, (
        f"{path.name}: give the full reference instead of op. cit./ibid."
    )


def test_the_checks_can_fail() -> None:
    assert citations("as Smith (1999) showed") == {("Smith", "1999")}
    assert not has_entry("Smith", "1999")
    assert has_entry("Maister", "1985")
    assert not has_entry("Maister", "1986")


def test_the_bibliography_is_sorted_within_each_section() -> None:
    for block in BIBLIOGRAPHY.split("\n## ")[1:]:
        items = [line[2:] for line in block.splitlines() if line.startswith("- ")]
        keys = [re.sub(r"^(de|van) ", "", i).lower() for i in items]
        assert keys == sorted(keys), block.splitlines()[0]
