#!/usr/bin/env python3
"""The kit's single entry point: ``make`` targets call it; it also runs without make.

    python3 tasks.py lab [ARGS]      create .venv, install the lab extras, run the lab
    python3 tasks.py test [ARGS]     install the test extras into .venv, run every test
    python3 tasks.py test-newest     unit tests and doctests on the newest Python found
    python3 tasks.py package-check   build sdist and wheel, smoke-test the wheel in a
                                     fresh venv outside the clone
    python3 tasks.py lock            refresh requirements/lock.txt (newest versions)
    python3 tasks.py lint            ruff on the code, tests and notebooks
    python3 tasks.py editions        write the zh and en editions from source/ masters
    python3 tasks.py exercises       editions, then run the solutions, regenerate the
                                     student notebooks
    python3 tasks.py data            regenerate the synthetic data sets
    python3 tasks.py bench [NAMES]   run the benchmarks (installs the peer libraries)
    python3 tasks.py present [APP]   serve an explorer app with Voila (no APP: list);
                                     EDITION=zh (default) or en picks the language
    python3 tasks.py slides [zh|en]  export the chapters as offline reveal.js slides
    python3 tasks.py book            build the students' offline course website
    python3 tasks.py book-instructor the instructors' website, with worked solutions

Only the Python standard library is used here, so a machine with nothing but Python
3.11+ can run it. Every install is constrained by ``requirements/lock.txt``, a universal
lock (Linux, macOS, Windows; Python 3.11-3.13) made by ``uv pip compile`` from
pyproject.toml, so a student gets the versions CI tested. Installs are repeated only
when pyproject.toml or the lock changes. ``CRMKIT_UNLOCKED=1`` installs the newest
versions instead (to try them before refreshing the lock).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = Path(os.environ.get("VENV", ROOT / ".venv"))
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / ("python.exe" if os.name == "nt" else "python")

LINT_PATHS = [
    "crmkit",
    "tests",
    "benchmarks",
    "notebooks",
    "exercises",
    "source",
    "tools",
    "tasks.py",
]
LOCK = ROOT / "requirements" / "lock.txt"
#: the extras the lock covers (bench's peer libraries are resolved separately)
LOCKED_EXTRAS = ("lab", "test")
#: the Pythons the kit supports, oldest first (README and pyproject say the same)
SUPPORTED = ((3, 11), (3, 12), (3, 13))


def say(text: str) -> None:
    print(f"[crmkit] {text}", flush=True)


def run(*args: str | Path, **kwargs) -> None:
    cmd = [str(a) for a in args]
    result = subprocess.run(cmd, cwd=ROOT, check=False, **kwargs)
    if result.returncode:
        sys.exit(result.returncode)


def make_venv(path: Path, python: str | Path | None = None) -> Path:
    """Create a virtual environment at ``path`` (with ``python`` if given); return
    its interpreter."""
    bin_dir = path / ("Scripts" if os.name == "nt" else "bin")
    exe = bin_dir / ("python.exe" if os.name == "nt" else "python")
    if exe.exists():
        return exe
    say(f"creating the virtual environment {path}")
    try:
        if python is None:
            venv.EnvBuilder(with_pip=True).create(path)
        else:
            subprocess.run([str(python), "-m", "venv", str(path)], check=True)
    except (subprocess.CalledProcessError, OSError) as exc:
        shutil.rmtree(path, ignore_errors=True)
        sys.exit(
            f"could not create {path} ({exc}). On Debian/Ubuntu install the venv "
            "module first: sudo apt-get install python3-venv"
        )
    run(exe, "-m", "pip", "install", "--quiet", "--upgrade", "pip")
    return exe


def ensure_venv() -> None:
    if sys.version_info < (3, 11):  # noqa: UP036 - runs before anything is installed
        sys.exit(
            "crmkit needs Python 3.11 or newer; run this with python3.11 (or newer)."
        )
    make_venv(VENV)


def lock_args() -> list[str]:
    """pip arguments that hold an install to the tested versions (none when
    CRMKIT_UNLOCKED=1)."""
    if os.environ.get("CRMKIT_UNLOCKED", "") == "1":
        say("CRMKIT_UNLOCKED=1: installing the newest versions, not the lock")
        return []
    return ["--constraint", str(LOCK)]


def install_digest() -> str:
    h = hashlib.sha256((ROOT / "pyproject.toml").read_bytes())
    h.update(LOCK.read_bytes())
    h.update(os.environ.get("CRMKIT_UNLOCKED", "").encode())
    return h.hexdigest()[:16]


def ensure_installed(extras: str, python: Path = PY, venv_dir: Path = VENV) -> None:
    """Install the kit (editable) with ``extras``, held to the lock, unless
    pyproject.toml and the lock are unchanged since the last install."""
    if python == PY:
        ensure_venv()
    digest = install_digest()
    stamp = venv_dir / f".crmkit-installed-{extras.replace(',', '-')}"
    wanted = set(extras.split(","))
    for done in venv_dir.glob(".crmkit-installed-*"):  # a wider install also serves
        have = set(done.name.removeprefix(".crmkit-installed-").split("-"))
        if wanted <= have and done.read_text() == digest:
            return
    say(
        f"installing crmkit with the [{extras}] extras into {venv_dir} "
        "(a few minutes the first time)"
    )
    run(python, "-m", "pip", "install", "--quiet", *lock_args(), "-e", f".[{extras}]")
    stamp.write_text(digest)


def lab(args: list[str]) -> None:
    ensure_installed("lab")
    run(*lab_command(args))


def lab_command(args: list[str]) -> list[str | Path]:
    """The JupyterLab command: the whole kit served on 127.0.0.1 only, the course map
    opened (``--ServerApp.ip=...`` in ``args`` overrides the address)."""
    if hasattr(os, "geteuid") and os.geteuid() == 0 and "--allow-root" not in args:
        # containers and CI machines often run as root, which JupyterLab refuses
        say("running as root: starting JupyterLab with --allow-root")
        args = [*args, "--allow-root"]
    # serve the whole kit (chapters, exercises, data), on loopback unless told otherwise
    if not any(a.startswith(("--ServerApp.ip", "--ip")) for a in args):
        args = ["--ServerApp.ip=127.0.0.1", *args]
    return [
        PY,
        "-m",
        "jupyter",
        "lab",
        f"--ServerApp.root_dir={ROOT}",
        "--LabApp.default_url=/lab/tree/notebooks/index.ipynb",
        *args,
    ]


def test(args: list[str]) -> None:
    ensure_installed("lab,test")
    run(PY, "-m", "ruff", "check", *LINT_PATHS)
    # two workers by default (the machine has two cores); each notebook stays on one
    # worker
    run(PY, "-m", "pytest", *(args or ["-n", "2"]))


def _python_candidates(major: int, minor: int) -> list[str]:
    """Interpreters that may be Python ``major.minor``: on PATH, and pyenv's own
    versions (a pyenv shim refuses to run a version that is not selected)."""
    found = [shutil.which(f"python{major}.{minor}")]
    pyenv = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv"))
    pattern = f"versions/{major}.{minor}*/bin/python{major}.{minor}"
    found += sorted(str(p) for p in pyenv.glob(pattern))
    return [f for f in found if f]


def newest_python() -> tuple[Path, tuple[int, int]] | None:
    """The newest supported Python on this machine (``python3.13``, ``python3.12``,
    ...), on PATH or installed by pyenv."""
    for major, minor in reversed(SUPPORTED):
        for exe in _python_candidates(major, minor):
            probe = subprocess.run(
                [exe, "-c", "import sys, venv; print(*sys.version_info[:2])"],
                capture_output=True,
                text=True,
                check=False,
            )
            if probe.returncode == 0 and probe.stdout.split() == [
                str(major),
                str(minor),
            ]:
                return Path(exe), (major, minor)
    return None


def test_newest(args: list[str]) -> None:
    """Run the unit tests and doctests on the newest supported Python found."""
    found = newest_python()
    here = sys.version_info[:2]
    if found is None or found[1] <= here:
        newest = SUPPORTED[-1]
        say(
            f"test-newest skipped: no Python newer than {here[0]}.{here[1]} on PATH "
            f"(looked for python{newest[0]}.{newest[1]} and older); the main run "
            "already used this one"
        )
        return
    exe, (major, minor) = found
    venv_dir = ROOT / f".venv-py{major}{minor}"
    py = make_venv(venv_dir, exe)
    ensure_installed("lab,test", python=py, venv_dir=venv_dir)
    say(f"unit tests and doctests on Python {major}.{minor}")
    run(
        py,
        "-m",
        "pytest",
        "tests",
        "crmkit",
        "--ignore=tests/browser",
        "--ignore=tests/test_site.py",
        *(args or ["-n", "2"]),
    )


def lock(_args: list[str]) -> None:
    """Refresh requirements/lock.txt to the newest versions pyproject.toml allows."""
    ensure_venv()
    run(PY, "-m", "pip", "install", "--quiet", "uv")
    extras = [a for e in LOCKED_EXTRAS for a in ("--extra", e)]
    run(
        BIN / "uv",
        "pip",
        "compile",
        "pyproject.toml",
        "--universal",
        f"--python-version={SUPPORTED[0][0]}.{SUPPORTED[0][1]}",
        *extras,
        "--upgrade",
        "--quiet",
        "--output-file",
        str(LOCK.relative_to(ROOT)),
    )
    say(f"wrote {LOCK.relative_to(ROOT)}; run `make test` before committing it")


def package_check(_args: list[str]) -> None:
    """Build the sdist, build the wheel from it, install the wheel into a fresh venv
    outside the clone and run tools/smoke_test.py there."""
    ensure_installed("lab,test")
    with tempfile.TemporaryDirectory(prefix="crmkit-package-") as tmp:
        work = Path(tmp)
        dist = work / "dist"
        say("building the sdist and, from it, the wheel")
        run(PY, "-m", "build", "--sdist", "--outdir", str(dist), str(ROOT))
        sdist = next(dist.glob("crmkit-*.tar.gz"))
        run(PY, "-m", "build", "--wheel", "--outdir", str(dist), str(sdist))
        wheel = next(dist.glob("crmkit-*.whl"))
        say(f"built {sdist.name} and {wheel.name}")
        py = make_venv(work / "venv")
        run(py, "-m", "pip", "install", "--quiet", *lock_args(), str(wheel))
        script = work / "smoke_test.py"
        shutil.copyfile(ROOT / "tools" / "smoke_test.py", script)
        say("smoke test of the installed wheel, run outside the clone")
        result = subprocess.run(
            [str(py), str(script), str(ROOT)], cwd=work, check=False
        )
        if result.returncode:
            sys.exit(result.returncode)


def lint(_args: list[str]) -> None:
    ensure_installed("lab,test")
    run(PY, "-m", "ruff", "check", *LINT_PATHS)


def editions(args: list[str]) -> None:
    """Write the zh and en editions of every notebook from its master in source/."""
    ensure_installed("lab")
    run(PY, "tools/editions.py", *args)


def exercises(_args: list[str]) -> None:
    """Editions from the masters, then run the worked solutions (both editions) and
    regenerate the student copies."""
    editions([])
    run(PY, "tools/build_exercises.py", "--execute")


def data(_args: list[str]) -> None:
    ensure_installed("lab")
    run(PY, "tools/build_datasets.py")


def bench(args: list[str]) -> None:
    ensure_installed("lab,bench")
    run(PY, "benchmarks/run_all.py", *args)


APPS_DIR = ROOT / "notebooks" / "apps"
#: the editions, Chinese first (tools/editions.py builds them from source/)
EDITIONS = ("zh", "en")


def _app_title(path: Path) -> str:
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    first = "".join(cells[0]["source"]).splitlines()[0] if cells else path.stem
    return first.lstrip("# ").strip()


def present(args: list[str]) -> None:
    """Serve one explorer app full screen with Voila on 127.0.0.1, in the edition
    named by EDITION (zh, the default, or en)."""
    edition = os.environ.get("EDITION", "zh") or "zh"
    if edition not in EDITIONS:
        sys.exit(f"EDITION={edition!r}: choose zh (中文) or en (English)")
    apps = {p.stem: p for p in sorted((APPS_DIR / edition).glob("*.ipynb"))}
    name = args[0] if args else os.environ.get("APP", "")
    if not name:
        print(f"Explorer apps, {edition} edition (make present APP=<name> EDITION=..):")
        for stem, path in apps.items():
            print(f"  {stem:<20} {_app_title(path)}")
        return
    if name not in apps:
        sys.exit(f"no app {name!r}; choose from: {', '.join(apps)}")
    ensure_installed("lab")
    port = os.environ.get("PORT", "8866")
    say(f"{_app_title(apps[name])}: open http://127.0.0.1:{port}/ (Ctrl-C stops it)")
    run(
        PY,
        "-m",
        "voila",
        str(apps[name].relative_to(ROOT)),
        "--no-browser",
        "--Voila.ip=127.0.0.1",
        f"--port={port}",
        *args[1:],
    )


WEB = ROOT / "tools" / "web"
BUILD = ROOT / "_build"


def chapters(edition: str) -> list[Path]:
    return sorted((ROOT / "notebooks" / edition).glob("[0-9][0-9]_*.ipynb"))


def ensure_web_assets() -> Path:
    """Install the pinned JavaScript (reveal.js, MathJax, require.js, the widget
    renderer) into tools/web/node_modules with npm, once; returns that folder."""
    modules = WEB / "node_modules"
    lock = WEB / "package-lock.json"
    stamp = modules / ".crmkit-installed"
    digest = hashlib.sha256(lock.read_bytes()).hexdigest()[:16]
    if stamp.exists() and stamp.read_text() == digest:
        return modules
    npm = shutil.which("npm")
    if npm is None:
        sys.exit(
            "slides and the course website use local copies of reveal.js and MathJax "
            "installed with npm; install Node.js first (Debian: sudo apt-get install "
            "-y "
            "nodejs npm)"
        )
    say("installing reveal.js, MathJax and the widget renderer with npm (once)")
    run(npm, "ci", "--prefix", str(WEB), "--no-audit", "--no-fund", "--silent")
    stamp.write_text(digest)
    return modules


def _copy(src: Path, dest: Path) -> None:
    dest.parent.mkdir(parents=True, exist_ok=True)
    if src.is_dir():
        shutil.copytree(src, dest, dirs_exist_ok=True)
    else:
        shutil.copy2(src, dest)


#: the book's sections per edition: (folder in the kit, title by edition)
BOOK_PARTS = (
    ("notebooks", {"zh": "中文版 · 章节", "en": "English · Chapters"}),
    (
        "notebooks/research",
        {"zh": "中文版 · 研究笔记", "en": "English · Research notebooks"},
    ),
    ("notebooks/cases", {"zh": "中文版 · 案例", "en": "English · Worked cases"}),
    ("exercises", {"zh": "中文版 · 练习", "en": "English · Exercises"}),
    (
        "exercises/solutions",
        {"zh": "中文版 · 参考答案", "en": "English · Worked solutions"},
    ),
)


#: what the student website holds: chapters, research notebooks, cases and exercises,
#: never the worked solutions
STUDENT_PARTS = BOOK_PARTS[:4]


def book_toc(stage: Path, parts=BOOK_PARTS) -> str:
    """The Jupyter Book table of contents: both editions, Chinese first."""
    lines = ["format: jb-book", "root: intro", "parts:"]
    for edition in EDITIONS:
        for folder, titles in parts:
            lines += [f"  - caption: {titles[edition]}", "    chapters:"]
            for nb in sorted((stage / edition / folder).glob("*.ipynb")):
                lines.append(f"      - file: {edition}/{folder}/{nb.stem}")
    kit = sorted((stage / "instructor").rglob("*.md"))
    if kit:
        # the instructor's kit: guide first, then per edition the rubrics of the open
        # questions and the multiple-choice bank
        guides = [f for f in kit if f.parent.name == "instructor"]
        lines += ["  - caption: 教师资料 · Instructor kit", "    chapters:"]
        for page in sorted(guides, key=lambda f: EDITIONS.index(f.stem[-2:])):
            lines.append(f"      - file: instructor/{page.stem}")
        for edition in EDITIONS:
            rubrics = stage / "instructor" / "rubrics" / edition / "rubrics.md"
            if rubrics.is_file():
                lines.append(f"      - file: instructor/rubrics/{edition}/rubrics")
            pages = (stage / "instructor" / "mcq" / edition).glob("*.md")
            for page in sorted(pages, key=lambda f: (f.stem != "index", f.stem)):
                lines.append(f"      - file: instructor/mcq/{edition}/{page.stem}")
    lines += [
        "  - caption: 关于本站 · About this site",
        "    chapters:",
        "      - file: references",
        "      - file: runtimes",
    ]
    return "\n".join(lines) + "\n"


def stage_book(name: str, parts=STUDENT_PARTS) -> Path:
    """Copy book/ and the editions of ``parts`` into _build/<name>-src."""
    stage = BUILD / f"{name}-src"
    shutil.rmtree(stage, ignore_errors=True)
    _copy(ROOT / "book", stage)
    if parts != STUDENT_PARTS:
        # the instructor's site: its own front page, which names the answer key, the
        # guide and the multiple-choice bank with its answers
        (stage / "intro_instructor.md").replace(stage / "intro.md")
        for guide in sorted((ROOT / "instructor").glob("guide.*.md")):
            edition = guide.suffixes[0][1:]  # guide.zh.md -> instructor/guide_zh.md
            _copy(guide, stage / "instructor" / f"guide_{edition}.md")
        run(PY, "tools/mcq_bank.py", "--out", str(stage / "instructor" / "mcq"))
        run(PY, "tools/rubrics.py", "--out", str(stage / "instructor" / "rubrics"))
    else:
        (stage / "intro_instructor.md").unlink()
    for edition in EDITIONS:
        for folder, _titles in parts:
            for nb in sorted((ROOT / folder / edition).glob("*.ipynb")):
                _copy(nb, stage / edition / folder / nb.name)
    (stage / "_toc.yml").write_text(book_toc(stage, parts), encoding="utf-8")
    return stage


def book(args: list[str]) -> None:
    """Build the students' offline course website (both editions, no worked solutions)
    into _build/book/_build/html."""
    _build_site("book", STUDENT_PARTS, args)


def book_instructor(args: list[str]) -> None:
    """Build the instructors' website, with the worked solutions, into
    _build/book-instructor/_build/html. Keep it off the students' web server."""
    _build_site("book-instructor", BOOK_PARTS, args)


def _build_site(name: str, parts, args: list[str]) -> None:
    ensure_installed("lab,test")
    modules = ensure_web_assets()
    stage = stage_book(name, parts)
    # a clean output folder: pages of an earlier build (e.g. solutions) must not remain
    shutil.rmtree(BUILD / name, ignore_errors=True)
    # not "_static": Jupyter Book would add every script found there to every page
    vendor = stage / "_vendor"
    _copy(modules / "mathjax" / "es5", vendor / "mathjax")
    _copy(modules / "requirejs" / "require.js", vendor / "require.min.js")
    _copy(
        modules / "@jupyter-widgets" / "html-manager" / "dist", vendor / "html-manager"
    )
    _copy(ROOT / "book" / "edition-switch.js", vendor / "edition-switch.js")
    say("executing every notebook of both editions and building the site (minutes)")
    run(
        BIN / "jupyter-book",
        "build",
        str(stage),
        "--path-output",
        str(BUILD / name),
        *(args or ["--warningiserror", "--nitpick", "--keep-going"]),
    )
    # the widget renderer asks for its icon fonts beside each page, at a path it derives
    # from its CDN layout; put them there so a page opened from disk finds them
    site = BUILD / name / "_build" / "html"
    fonts = [
        f
        for f in (modules / "@jupyter-widgets" / "html-manager" / "dist").iterdir()
        if f.suffix in {".woff", ".woff2", ".ttf", ".eot", ".svg"}
    ]
    for edition in EDITIONS:
        for folder, _titles in parts:
            for font in fonts:
                _copy(
                    font,
                    site
                    / edition
                    / folder
                    / "@jupyter-widgets/html-manager/dist"
                    / font.name,
                )
    say(f"the site is in {site / 'index.html'}")


def slides(args: list[str]) -> None:
    """Export every chapter as a reveal.js slide deck that works offline, with the
    speaker notes of instructor/speaker_notes (tools/slides/decks.py)."""
    ensure_installed("lab")
    out = BUILD / "slides"
    slide_libraries(out)
    # executes each chapter (the run is cached in _build/slides-cache while neither the
    # notebook nor crmkit changes) and adds the speaker notes of instructor/
    run(PY, ROOT / "tools" / "slides" / "decks.py", "--out", out, *args)
    say(f"open the decks in {out} in a browser (work offline; speaker notes: key S)")


def slide_libraries(out: Path) -> None:
    """Copy the libraries the decks load by relative paths into ``out/lib``."""
    modules = ensure_web_assets()
    lib = out / "lib"
    _copy(modules / "reveal.js" / "dist", lib / "reveal.js" / "dist")
    _copy(modules / "reveal.js" / "plugin", lib / "reveal.js" / "plugin")
    _copy(modules / "mathjax2", lib / "mathjax")
    _copy(modules / "requirejs" / "require.js", lib / "require.js")
    _copy(modules / "jquery" / "dist" / "jquery.min.js", lib / "jquery.min.js")
    _copy(modules / "@jupyter-widgets" / "html-manager" / "dist", lib / "html-manager")


TASKS = {
    "lab": lab,
    "test": test,
    "test-newest": test_newest,
    "package-check": package_check,
    "lock": lock,
    "lint": lint,
    "editions": editions,
    "exercises": exercises,
    "data": data,
    "bench": bench,
    "present": present,
    "slides": slides,
    "book": book,
    "book-instructor": book_instructor,
}


def main(argv: list[str]) -> None:
    if not argv or argv[0] not in TASKS:
        print(__doc__)
        sys.exit(0 if not argv else 2)
    TASKS[argv[0]](argv[1:])


if __name__ == "__main__":
    main(sys.argv[1:])
