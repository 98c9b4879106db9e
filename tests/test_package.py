"""The wheel and sdist: every file the code reads is inside, nothing of a volunteer's is, and the
unpacked wheel finds its campaign, catalog and example without the checkout.

The wheel is built once per session with hatchling (the build backend of pyproject.toml), in
well under a second; scripts/check-wheel installs it with pip into a fresh environment (CI).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest
from conftest import ROOT

from merge.cli.init import EXAMPLE_INPUTS, README

pytestmark = pytest.mark.slow


def build(root: Path, out: Path, target: str) -> Path:
    """Build the wheel or sdist of the project at ``root`` into ``out``; return its path."""
    from hatchling.builders.sdist import SdistBuilder
    from hatchling.builders.wheel import WheelBuilder

    builder = {"wheel": WheelBuilder, "sdist": SdistBuilder}[target](str(root))
    [path] = builder.build(directory=str(out), versions=["standard"])
    return Path(path)


@pytest.fixture(scope="session")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(ROOT, tmp_path_factory.mktemp("dist"), "wheel")


@pytest.fixture(scope="session")
def wheel_names(wheel: Path) -> set[str]:
    with zipfile.ZipFile(wheel) as archive:
        return set(archive.namelist())


def test_the_wheel_holds_templates_catalogs_web_page_data_and_example(
    wheel_names: set[str],
) -> None:
    for name in [
        "merge/templates/xuar.toml",
        "merge/templates/petition-list.docx",
        "merge/locale/de/LC_MESSAGES/petition-merge.mo",
        "merge/locale/de/LC_MESSAGES/petition-merge.po",
        "merge/web/templates/base.html",
        "merge/web/static/page.css",
        "merge/data/postage.json",
        "merge/render/office_worker.py",  # run as a file by LibreOffice's Python
        f"merge/examples/{README}",
        *(f"merge/examples/inputs/{name}" for name in EXAMPLE_INPUTS),
    ]:
        assert name in wheel_names, name


def test_every_file_of_the_package_folder_is_in_the_wheel(wheel_names: set[str]) -> None:
    package = ROOT / "merge"
    files = {
        path.relative_to(ROOT).as_posix()
        for path in package.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    }
    assert files - wheel_names == set()


def test_the_wheel_holds_only_the_package(wheel: Path, wheel_names: set[str]) -> None:
    [info] = {name.split("/")[0] for name in wheel_names} - {"merge"}
    assert info.endswith(".dist-info")
    with zipfile.ZipFile(wheel) as archive:
        entry_points = archive.read(f"{info}/entry_points.txt").decode()
    assert "petition-merge = merge.cli:main" in entry_points


def test_the_shipped_example_is_the_repository_s(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        for name in EXAMPLE_INPUTS:
            shipped = archive.read(f"merge/examples/inputs/{name}")
            assert shipped == (ROOT / "inputs" / name).read_bytes(), name
        assert archive.read("merge/templates/xuar.toml") == (
            (ROOT / "templates" / "xuar.toml").read_bytes()
        )


def test_a_volunteer_s_own_files_in_the_checkout_are_never_packaged(tmp_path: Path) -> None:
    """A checkout in use has real signer lists in inputs/ and own campaigns in templates/."""
    checkout = tmp_path / "checkout"
    checkout.mkdir()
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy(ROOT / name, checkout / name)
    ignore = shutil.ignore_patterns("__pycache__")
    for folder in ("merge", "templates", "inputs"):
        shutil.copytree(ROOT / folder, checkout / folder, ignore=ignore)
    (checkout / "inputs" / "echte-liste.csv").write_text("Name;Anschrift\n", encoding="utf-8")
    (checkout / "templates" / "eigene.toml").write_text("title = 'x'\n", encoding="utf-8")
    (checkout / "outputs").mkdir()
    (checkout / "outputs" / "ledger.sqlite").write_bytes(b"")

    with zipfile.ZipFile(build(checkout, tmp_path, "wheel")) as archive:
        wheel_names = archive.namelist()
    with tarfile.open(build(checkout, tmp_path, "sdist")) as archive:
        sdist_names = archive.getnames()
    for names in (wheel_names, sdist_names):
        assert not [n for n in names if "echte-liste" in n or "eigene" in n or "ledger.sqlite" in n]
    assert any(n.endswith("inputs/umfrage-formular.csv") for n in sdist_names)
    assert any(n.endswith("templates/petition-list.docx") for n in sdist_names)


def test_the_unpacked_wheel_runs_init_and_help_without_the_checkout(
    wheel: Path, tmp_path: Path
) -> None:
    """The package's own files are found in the installed layout, not the repository's."""
    site = tmp_path / "site"
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(site)
    folder = tmp_path / "empty"
    folder.mkdir()
    env = {**os.environ, "PYTHONPATH": str(site), "PETITION_MERGE_LANG": "de"}
    code = (
        "import merge, sys\n"
        "from merge.campaign import letter_source\n"
        "from merge.cli.init import shipped_examples\n"
        "print(merge.__file__); print(letter_source()); print(shipped_examples())\n"
        "from merge.cli import main\n"
        "sys.argv = ['petition-merge', 'init', 'neu']\n"
        "main()\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=folder, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    where, campaign, examples, *out = done.stdout.splitlines()
    for path in (where, campaign, examples):
        assert Path(path).is_relative_to(site / "merge"), path
    assert out[0] == f"Arbeitsordner {folder / 'neu'}:"
    assert (folder / "neu" / "templates" / "xuar.toml").is_file()
    assert sorted(p.name for p in (folder / "neu" / "inputs").iterdir()) == sorted(EXAMPLE_INPUTS)
