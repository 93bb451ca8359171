"""The package works when installed: data inside the package, a lock that holds every
install to the tested versions, nothing exposed and nothing executed from data."""

from __future__ import annotations

import filecmp
import importlib.util
import re
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

REPO = Path(__file__).resolve().parents[1]
PACKAGED = REPO / "crmkit" / "datasets" / "data"
LOCK = REPO / "requirements" / "lock.txt"


def _tasks():
    spec = importlib.util.spec_from_file_location("crmkit_tasks", REPO / "tasks.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_browsed_datasets_equal_the_packaged_copy():
    browsed = {p.name for p in (REPO / "datasets").iterdir() if p.is_file()}
    packaged = {p.name for p in PACKAGED.iterdir() if p.is_file()}
    assert browsed == packaged, "run `make data` to mirror crmkit/datasets/data"
    for name in sorted(packaged):
        assert filecmp.cmp(REPO / "datasets" / name, PACKAGED / name, shallow=False), (
            f"datasets/{name} differs from crmkit/datasets/data/{name}: edit the "
            "packaged copy and run `make data`"
        )


def test_loaders_read_the_packaged_copy():
    from crmkit.datasets import data_dir

    assert data_dir().resolve() == PACKAGED.resolve()


@pytest.mark.slow
def test_wheel_holds_every_data_file_and_no_repository_tool(tmp_path):
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", tmp_path,
         REPO],
        check=True,
        capture_output=True,
    )
    wheel = next(tmp_path.glob("crmkit-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    for path in PACKAGED.iterdir():
        assert f"crmkit/datasets/data/{path.name}" in names, path.name
    assert not any(n.startswith(("tests/", "tools/", "datasets/")) for n in names)
    assert "crmkit/py.typed" in names


def _direct_requirements() -> list[Requirement]:
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    reqs = [Requirement(r) for r in project["dependencies"]]
    for extra in _tasks().LOCKED_EXTRAS:
        reqs += [Requirement(r) for r in project["optional-dependencies"][extra]]
    return reqs


def _pins() -> dict[str, list[tuple[str, str]]]:
    pins: dict[str, list[tuple[str, str]]] = {}
    for line in LOCK.read_text().splitlines():
        m = re.match(r"^([A-Za-z0-9_.\-\[\]]+)==([^ ;]+)\s*(?:;\s*(.*))?$", line)
        if m:
            name = canonicalize_name(m.group(1).split("[")[0])
            pins.setdefault(name, []).append((m.group(2), m.group(3) or ""))
    return pins


def test_lock_is_universal_and_pins_every_direct_dependency():
    text = LOCK.read_text()
    assert "--universal" in text.splitlines()[1]
    pins = _pins()
    for req in _direct_requirements():
        name = canonicalize_name(req.name)
        assert name in pins, f"{req.name} is not in the lock: run `make lock`"
        for version, _marker in pins[name]:
            assert req.specifier.contains(version, prereleases=True), (
                f"the lock pins {req.name}=={version}, outside {req.specifier}: "
                "run `make lock`"
            )


def test_lock_resolves_for_every_supported_python():
    from packaging.markers import Marker

    pins = _pins()
    for minor in (11, 12, 13):
        env = {"python_full_version": f"3.{minor}.0", "python_version": f"3.{minor}"}
        for req in _direct_requirements():
            name = canonicalize_name(req.name)
            chosen = [
                v for v, marker in pins[name] if not marker or Marker(marker).evaluate(env)
            ]
            assert len(chosen) == 1, f"{req.name} on 3.{minor}: {chosen}"


def test_supported_pythons_agree():
    supported = _tasks().SUPPORTED
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    oldest = f"{supported[0][0]}.{supported[0][1]}"
    assert project["requires-python"] == f">={oldest}"
    for major, minor in supported:
        assert (
            f"Programming Language :: Python :: {major}.{minor}"
            in project["classifiers"]
        )
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "Python 3.11, 3.12 and 3.13" in readme


def test_installs_use_the_lock(monkeypatch):
    tasks = _tasks()
    monkeypatch.delenv("CRMKIT_UNLOCKED", raising=False)
    assert tasks.lock_args() == ["--constraint", str(LOCK)]
    monkeypatch.setenv("CRMKIT_UNLOCKED", "1")
    assert tasks.lock_args() == []


def test_servers_bind_to_loopback():
    tasks = _tasks()
    lab = [str(a) for a in tasks.lab_command([])]
    assert "--ServerApp.ip=127.0.0.1" in lab
    other = [str(a) for a in tasks.lab_command(["--ServerApp.ip=::1"])]
    assert [a for a in other if "ServerApp.ip" in a] == ["--ServerApp.ip=::1"]
    source = (REPO / "tasks.py").read_text()
    assert '"--Voila.ip=127.0.0.1"' in source
    assert "0.0.0.0" not in source


_FORBIDDEN = {
    r"\bpickle\.loads?\b|\bcloudpickle\.loads?\b|\bdill\.loads?\b": (
        "unpickling runs code from the data"
    ),
    r"\bread_pickle\b|\bUnpickler\b": "unpickling runs code from the data",
    r"allow_pickle\s*=\s*True": "unpickling runs code from the data",
    r"(?<![\w.])eval\s*\(": "evaluates text as code",
    r"(?<![\w.])exec\s*\(": "executes text as code",
    r"\bmarshal\.loads?\b": "loads code objects",
    r"\byaml\.(?:unsafe_)?load\s*\(": "yaml.load can build objects; use safe_load",
    r"\bshelve\b": "shelve unpickles",
    r"\bjsonpickle\b": "jsonpickle builds objects",
}


def _code_only(path: Path) -> list[tuple[int, str]]:
    """The lines of a module with strings and comments removed (docstrings may
    mention pickle)."""
    import tokenize

    lines: dict[int, list[str]] = {}
    with path.open("rb") as handle:
        for tok in tokenize.tokenize(handle.readline):
            if tok.type in (tokenize.STRING, tokenize.COMMENT, tokenize.ENCODING):
                continue
            if tok.type == getattr(tokenize, "FSTRING_MIDDLE", -1):
                continue
            lines.setdefault(tok.start[0], []).append(tok.string)
    return [(n, " ".join(parts)) for n, parts in sorted(lines.items())]


def test_nothing_in_crmkit_unpickles_or_evaluates():
    offenders = []
    for path in sorted((REPO / "crmkit").rglob("*.py")):
        for number, code in _code_only(path):
            compact = code.replace(" . ", ".").replace(" (", "(").replace(" = ", "=")
            for pattern, why in _FORBIDDEN.items():
                if re.search(pattern, compact):
                    offenders.append(f"{path.relative_to(REPO)}:{number}: {why}")
    assert not offenders, offenders


def test_the_scan_finds_what_it_looks_for(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text(
        '"""pickle in a docstring is fine"""\nimport pickle\n'
        "x = pickle.loads(b'')\ny = eval('1')\n"
    )
    found = [
        n
        for n, code in _code_only(bad)
        for pattern in _FORBIDDEN
        if re.search(pattern, code.replace(" . ", ".").replace(" (", "("))
    ]
    assert found == [3, 4]
