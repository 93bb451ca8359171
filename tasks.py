#!/usr/bin/env python3
"""The kit's single entry point: ``make`` targets call it; it also runs without make.

    python3 tasks.py lab [ARGS]      create .venv, install the lab extras, run the lab
    python3 tasks.py test [ARGS]     install the test extras into .venv, run every test
    python3 tasks.py lint            ruff on the code, tests and notebooks
    python3 tasks.py exercises       regenerate the student notebooks from solutions
    python3 tasks.py data            regenerate the synthetic data sets
    python3 tasks.py bench [NAMES]   run the benchmarks (installs the peer libraries)
    python3 tasks.py present [APP]   serve an explorer app with Voila (no APP: list)
    python3 tasks.py slides          export the chapters as offline reveal.js slides
    python3 tasks.py book            build the offline course website (Jupyter Book 1)

Only the Python standard library is used here, so a machine with nothing but Python
3.11+ can run it. Installs are repeated only when pyproject.toml changes.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = Path(os.environ.get("VENV", ROOT / ".venv"))
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / ("python.exe" if os.name == "nt" else "python")

LINT_PATHS = ["crmkit", "tests", "benchmarks", "notebooks", "exercises", "tasks.py"]


def say(text: str) -> None:
    print(f"[crmkit] {text}", flush=True)


def run(*args: str | Path, **kwargs) -> None:
    cmd = [str(a) for a in args]
    result = subprocess.run(cmd, cwd=ROOT, check=False, **kwargs)
    if result.returncode:
        sys.exit(result.returncode)


def ensure_venv() -> None:
    if sys.version_info < (3, 11):  # noqa: UP036 - runs before anything is installed
        sys.exit(
            "crmkit needs Python 3.11 or newer; run this with python3.11 (or newer)."
        )
    if PY.exists():
        return
    say(f"creating the virtual environment {VENV}")
    try:
        venv.EnvBuilder(with_pip=True).create(VENV)
    except (subprocess.CalledProcessError, OSError) as exc:
        shutil.rmtree(VENV, ignore_errors=True)
        sys.exit(
            f"could not create {VENV} ({exc}). On Debian/Ubuntu install the venv "
            "module first: sudo apt-get install python3-venv"
        )
    run(PY, "-m", "pip", "install", "--quiet", "--upgrade", "pip")


def ensure_installed(extras: str) -> None:
    """Install the kit (editable) with ``extras`` unless pyproject.toml is unchanged."""
    ensure_venv()
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()[:16]
    stamp = VENV / f".crmkit-installed-{extras.replace(',', '-')}"
    wanted = set(extras.split(","))
    for done in VENV.glob(".crmkit-installed-*"):  # a wider install also serves
        have = set(done.name.removeprefix(".crmkit-installed-").split("-"))
        if wanted <= have and done.read_text() == digest:
            return
    say(
        f"installing crmkit with the [{extras}] extras into {VENV} "
        "(a few minutes the first time)"
    )
    run(PY, "-m", "pip", "install", "--quiet", "-e", f".[{extras}]")
    stamp.write_text(digest)


def lab(args: list[str]) -> None:
    ensure_installed("lab")
    if hasattr(os, "geteuid") and os.geteuid() == 0 and "--allow-root" not in args:
        # containers and CI machines often run as root, which JupyterLab refuses
        say("running as root: starting JupyterLab with --allow-root")
        args = [*args, "--allow-root"]
    # serve the whole kit (chapters, exercises, data) and open the course map
    run(
        PY,
        "-m",
        "jupyter",
        "lab",
        f"--ServerApp.root_dir={ROOT}",
        "--LabApp.default_url=/lab/tree/notebooks/00_course_map.ipynb",
        *args,
    )


def test(args: list[str]) -> None:
    ensure_installed("lab,test")
    run(PY, "-m", "ruff", "check", *LINT_PATHS)
    # two workers by default (the machine has two cores); each notebook stays on one
    # worker
    run(PY, "-m", "pytest", *(args or ["-n", "2"]))


def lint(_args: list[str]) -> None:
    ensure_installed("lab,test")
    run(PY, "-m", "ruff", "check", *LINT_PATHS)


def exercises(_args: list[str]) -> None:
    ensure_installed("lab")
    run(PY, "-m", "crmkit.exercises", "build", "--execute")


def data(_args: list[str]) -> None:
    ensure_installed("lab")
    run(PY, "-m", "crmkit.datasets", "build")


def bench(args: list[str]) -> None:
    ensure_installed("lab,bench")
    run(PY, "benchmarks/run_all.py", *args)


APPS_DIR = ROOT / "notebooks" / "apps"


def _app_title(path: Path) -> str:
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    first = "".join(cells[0]["source"]).splitlines()[0] if cells else path.stem
    return first.lstrip("# ").strip()


def present(args: list[str]) -> None:
    """Serve one explorer app full screen with Voila on 127.0.0.1."""
    apps = {p.stem: p for p in sorted(APPS_DIR.glob("*.ipynb"))}
    name = args[0] if args else os.environ.get("APP", "")
    if not name:
        print("Explorer apps (make present APP=<name>):")
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
CHAPTERS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


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


def book(args: list[str]) -> None:
    """Build the offline course website into _build/book/_build/html."""
    ensure_installed("lab,test")
    modules = ensure_web_assets()
    stage = BUILD / "book-src"
    shutil.rmtree(stage, ignore_errors=True)
    _copy(ROOT / "book", stage)
    for nb in CHAPTERS:
        _copy(nb, stage / "notebooks" / nb.name)
    for nb in sorted((ROOT / "exercises").glob("*.ipynb")):
        _copy(nb, stage / "exercises" / nb.name)
    for nb in sorted((ROOT / "exercises" / "solutions").glob("*.ipynb")):
        _copy(nb, stage / "exercises" / "solutions" / nb.name)
    # not "_static": Jupyter Book would add every script found there to every page
    vendor = stage / "_vendor"
    _copy(modules / "mathjax" / "es5", vendor / "mathjax")
    _copy(modules / "requirejs" / "require.js", vendor / "require.min.js")
    _copy(
        modules / "@jupyter-widgets" / "html-manager" / "dist", vendor / "html-manager"
    )
    say("executing every notebook and building the site (a few minutes)")
    run(
        BIN / "jupyter-book",
        "build",
        str(stage),
        "--path-output",
        str(BUILD / "book"),
        *(args or ["--warningiserror", "--nitpick", "--keep-going"]),
    )
    # the widget renderer asks for its icon fonts beside each page, at a path it derives
    # from its CDN layout; put them there so a page opened from disk finds them
    site = BUILD / "book" / "_build" / "html"
    fonts = [
        f
        for f in (modules / "@jupyter-widgets" / "html-manager" / "dist").iterdir()
        if f.suffix in {".woff", ".woff2", ".ttf", ".eot", ".svg"}
    ]
    for folder in ("notebooks", "exercises", "exercises/solutions"):
        for font in fonts:
            _copy(
                font, site / folder / "@jupyter-widgets/html-manager/dist" / font.name
            )
    say(f"the site is in {site / 'index.html'}")


def slides(args: list[str]) -> None:
    """Export every chapter as a reveal.js slide deck that works offline."""
    ensure_installed("lab")
    modules = ensure_web_assets()
    out = BUILD / "slides"
    out.mkdir(parents=True, exist_ok=True)
    lib = out / "lib"
    _copy(modules / "reveal.js" / "dist", lib / "reveal.js" / "dist")
    _copy(modules / "reveal.js" / "plugin", lib / "reveal.js" / "plugin")
    _copy(modules / "mathjax2", lib / "mathjax")
    _copy(modules / "requirejs" / "require.js", lib / "require.js")
    _copy(modules / "jquery" / "dist" / "jquery.min.js", lib / "jquery.min.js")
    _copy(modules / "@jupyter-widgets" / "html-manager" / "dist", lib / "html-manager")
    chapters = [c for c in CHAPTERS if not args or any(a in c.stem for a in args)]
    for nb in chapters:
        say(f"slides: {nb.stem}")
        run(
            PY,
            "-m",
            "jupyter",
            "nbconvert",
            str(nb),
            "--to",
            "slides",
            "--execute",
            "--ExecutePreprocessor.timeout=600",
            f"--output-dir={out}",
            f"--TemplateExporter.extra_template_basedirs={ROOT / 'tools' / 'slides'}",
            "--template=crmkit_reveal",
            "--SlidesExporter.reveal_url_prefix=lib/reveal.js",
            # "white" uses the fonts shipped with reveal.js; "simple" fetches Google
            # Fonts
            "--SlidesExporter.reveal_theme=white",
            "--SlidesExporter.require_js_url=lib/require.js",
            "--SlidesExporter.jquery_url=lib/jquery.min.js",
            "--SlidesExporter.mathjax_url=lib/mathjax/MathJax.js?config=TeX-AMS_CHTML-full",
            "--SlidesExporter.widget_renderer_url=lib/html-manager/embed-amd.js",
            "--SlidesExporter.font_awesome_url=",
        )
    say(
        f"open {out / (chapters[0].stem + '.slides.html')} in a browser (works offline)"
    )


TASKS = {
    "lab": lab,
    "test": test,
    "lint": lint,
    "exercises": exercises,
    "data": data,
    "bench": bench,
    "present": present,
    "slides": slides,
    "book": book,
}


def main(argv: list[str]) -> None:
    if not argv or argv[0] not in TASKS:
        print(__doc__)
        sys.exit(0 if not argv else 2)
    TASKS[argv[0]](argv[1:])


if __name__ == "__main__":
    main(sys.argv[1:])
