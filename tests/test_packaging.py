"""pyproject.toml, environment.yml, constraints.txt and the README stay in agreement."""

from __future__ import annotations

import tomllib
from pathlib import Path

import yaml
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

REPO = Path(__file__).resolve().parents[1]


def _pyproject_requirements() -> set[str]:
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    reqs = list(project["dependencies"])
    for extra in project["optional-dependencies"].values():
        reqs += extra
    return {str(Requirement(r)) for r in reqs}


def _environment_requirements() -> tuple[set[str], list]:
    env = yaml.safe_load((REPO / "environment.yml").read_text())
    conda, pip = [], []
    for dep in env["dependencies"]:
        if isinstance(dep, dict):
            pip += dep["pip"]
        else:
            conda.append(dep)
    return {str(Requirement(r)) for r in pip}, conda


def test_environment_yml_lists_the_same_packages_as_pyproject():
    pip, conda = _environment_requirements()
    assert pip == _pyproject_requirements()
    assert "python=3.11" in conda


def test_every_requirement_is_pinned_in_constraints():
    pinned = {}
    for line in (REPO / "constraints.txt").read_text().splitlines():
        if line and not line.startswith("#"):
            name, version = line.split("==")
            pinned[canonicalize_name(name)] = version
    for req in map(Requirement, _pyproject_requirements()):
        name = canonicalize_name(req.name)
        assert name in pinned, f"{req.name} is not pinned in constraints.txt"
        assert req.specifier.contains(pinned[name]), f"{req.name}=={pinned[name]} violates {req}"


def test_readme_opens_with_the_two_commands_and_ci_calls_the_test_command():
    lines = (REPO / "README.md").read_text().splitlines()
    block = lines[lines.index("```bash") + 1 : lines.index("```")]
    commands = [ln.split("#")[0].strip() for ln in block]
    assert commands == ["make book", "make test"]
    ci = (REPO / ".ci" / "run").read_text()
    assert "make test" in ci
    assert 'REVIEWLIB_DATA_MIRROR="$(cd .. && pwd)/shared/data"' in ci
