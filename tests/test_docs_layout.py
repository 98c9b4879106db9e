"""docs/development.md's "Where things live" names every module of merge/, and only those."""

import re

from conftest import ROOT

PACKAGE = ROOT / "merge"


def section() -> str:
    text = (ROOT / "docs" / "development.md").read_text(encoding="utf-8")
    start = text.index("## Where things live")
    end = text.find("\n#", start + 1)
    return text[start:] if end < 0 else text[start:end]


def test_every_folder_row_names_exactly_the_files_of_its_folder() -> None:
    rows = re.findall(r"^\| `merge/(\w+)/` \|(.*)$", section(), re.MULTILINE)
    assert {folder for folder, _ in rows} == {
        p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").exists()
    }
    for folder, row in rows:
        named = set(re.findall(r"`([\w.]+\.(?:py|json))`", row))
        present = {
            p.name
            for p in (PACKAGE / folder).iterdir()
            if p.suffix in (".py", ".json") and p.name != "__init__.py"
        }
        assert named == present, folder


def test_every_top_level_module_is_named() -> None:
    text = section()
    for module in PACKAGE.glob("*.py"):
        if module.name not in ("__main__.py",):
            assert f"`merge/{module.name}`" in text, module.name
