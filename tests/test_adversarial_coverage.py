"""Every public function and class is fed bad input somewhere in the adversarial
tests (or is listed here with the reason it takes no input that can be wrong)."""

from __future__ import annotations

import importlib
import inspect
from pathlib import Path

PACKAGES = [
    "crmkit.queues",
    "crmkit.segmentation",
    "crmkit.clv",
    "crmkit.channels",
    "crmkit.complaints",
    "crmkit.experiments",
    "crmkit.datasets",
    "crmkit.exercises",
    "crmkit.waiting",
]

#: public callables that take no argument a user could get wrong, with the reason
EXEMPT = {
    "crmkit.datasets.data_dir": "takes no argument",
    "crmkit.datasets.shared_data_dir": "takes no argument",
    "crmkit.datasets.load_call_centre": "takes no argument",
    "crmkit.datasets.load_channel_costs": "takes no argument",
    "crmkit.datasets.load_complaints": "takes no argument",
    "crmkit.datasets.load_email_campaign": "takes no argument",
    "crmkit.datasets.load_glossary": "takes no argument",
    "crmkit.datasets.load_interactions": "takes no argument",
    "crmkit.channels.course_channels": "takes no argument",
}

TESTS = Path(__file__).resolve().parent


def public_callables() -> list[str]:
    names = []
    for package in PACKAGES:
        module = importlib.import_module(package)
        for name in module.__all__:
            obj = getattr(module, name)
            if inspect.isfunction(obj) or inspect.isclass(obj):
                if inspect.isclass(obj) and issubclass(obj, BaseException):
                    continue
                names.append(f"{package}.{name}")
    return names


def _modules():
    for path in sorted(TESTS.rglob("test_adversarial*.py")):
        if path.name == Path(__file__).name:
            continue
        rel = path.relative_to(TESTS.parent).with_suffix("")
        yield importlib.import_module(".".join(rel.parts))


def exempt() -> dict[str, str]:
    """EXEMPT above, plus each adversarial module's own ``EXEMPT`` dict."""
    out = dict(EXEMPT)
    for module in _modules():
        out.update(getattr(module, "EXEMPT", {}))
    return out


def covered() -> set[str]:
    out: set[str] = set()
    for module in _modules():
        out |= set(getattr(module, "COVERS", ()))
    return out


def test_every_public_callable_is_fed_bad_input():
    names = public_callables()
    done = covered()
    unknown = sorted(done - set(names))
    assert not unknown, f"COVERS names that are not public: {unknown}"
    skip = exempt()
    missing = [n for n in names if n not in done and n not in skip]
    assert not missing, f"no adversarial test feeds bad input to: {missing}"


def test_exemptions_are_public_and_give_a_reason():
    names = set(public_callables())
    for name, reason in exempt().items():
        assert name in names, name
        assert len(reason) > 10, f"{name}: say why it is exempt"
