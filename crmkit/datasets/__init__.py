"""Data sets shipped with crmkit, their loaders, and the generators of the synthetic
ones.

Loaders never write: they read a file shipped inside the package (found with
:mod:`importlib.resources`, so they work from a wheel as from a clone), check its
columns and types, and return a new DataFrame. Every file has a data card ``<name>.md``
beside it (source, licence, columns with units, how it was made); the repository's top-
level ``datasets/`` folder holds the same files for browsing. In a clone, ``make data``
rebuilds the synthetic files from their seeded generators.

The CRM database of the kit's synthetic firm ships as ``crm_database.sqlite`` (SQLite,
card ``crm_database.md``): :func:`crm_database` opens it read-only, :func:`query` runs
one SQL statement and returns a DataFrame, :func:`database_schema` lists its tables,
columns and keys.

Examples
--------
>>> from crmkit.datasets import load_glossary
>>> len(load_glossary()) >= 80
True
"""

from crmkit.datasets._crmdb import crm_database, database_schema, query
from crmkit.datasets._discrete import load_donations, load_retention_cohorts
from crmkit.datasets._glossary import load_glossary, search_glossary
from crmkit.datasets._loaders import (
    load_call_centre,
    load_cdnow,
    load_channel_costs,
    load_complaints,
    load_email_campaign,
    load_interactions,
)
from crmkit.datasets._paths import data_dir, data_file, shared_data_dir

__all__ = [
    "crm_database",
    "data_dir",
    "data_file",
    "database_schema",
    "load_call_centre",
    "load_cdnow",
    "load_channel_costs",
    "load_complaints",
    "load_donations",
    "load_email_campaign",
    "load_glossary",
    "load_interactions",
    "load_retention_cohorts",
    "query",
    "search_glossary",
    "shared_data_dir",
]
