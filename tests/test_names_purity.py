"""homeward.names is pure Python: importing it must not import Django."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import homeward.names

PACKAGE = Path(homeward.names.__file__).resolve().parent


def test_names_package_does_not_import_django() -> None:
    code = "import sys, homeward.names; sys.exit(1 if any(m.startswith('django') for m in sys.modules) else 0)"
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


def test_no_module_except_apps_mentions_django_imports() -> None:
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        if path.name == "apps.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            offenders += [f"{path.name}:{n}" for n in names if n.split(".")[0] == "django"]
    assert offenders == []


def test_public_api_is_exported_explicitly() -> None:
    expected = {"NameKeys", "name_keys", "split_full_name", "transliterate", "SCHEMES", "detect_script",
                "detect_language", "repair_homoglyphs", "ParsedDate", "parse_date", "DateError",
                "canonical_place"}
    assert expected <= set(homeward.names.__all__)
    for name in homeward.names.__all__:
        assert hasattr(homeward.names, name)
