"""Bad input to the data loaders, the glossary search and the question helpers gets a
clear crmkit error (these functions take few arguments; each is covered here)."""

from __future__ import annotations

import pytest

from crmkit.datasets import data_file, load_cdnow, search_glossary
from crmkit.exercises import normalise_text
from tests.adversarial import NOT_NUMBERS, assert_clear_error, stable_id

pytestmark = pytest.mark.adversarial

COVERS = (
    "crmkit.datasets.data_file",
    "crmkit.datasets.load_cdnow",
    "crmkit.datasets.search_glossary",
    "crmkit.exercises.normalise_text",
)
EXEMPT = {"crmkit.exercises.load_questions": "takes no argument"}


@pytest.mark.parametrize(
    "name",
    ["", "../pyproject.toml", "no_such.csv", "/etc/passwd", "sub/glossary.csv", 3, None],
    ids=stable_id,
)
def test_data_file_refuses_what_is_not_a_shipped_file(name):
    assert_clear_error(lambda: data_file(name), "name", name)


@pytest.mark.parametrize("sample", ["yes", "False", 1, 0, None, 2.0], ids=stable_id)
def test_load_cdnow_needs_a_real_bool(sample):
    assert_clear_error(lambda: load_cdnow(sample=sample), "sample", sample)


@pytest.mark.parametrize("query", [3, None, ["queue"], b"queue", True], ids=stable_id)
def test_search_glossary_needs_text(query):
    assert_clear_error(lambda: search_glossary(query), "query", query)


@pytest.mark.parametrize("text", [s for s in NOT_NUMBERS if not isinstance(s, str)])
def test_normalise_text_needs_text(text):
    assert_clear_error(lambda: normalise_text(text), "text", text)


def test_the_good_cases_still_work():
    assert data_file("glossary.csv").is_file()
    assert search_glossary("排队")["term_zh"].iloc[0] == "排队"
    assert normalise_text("Website->phone") == "website → phone"
