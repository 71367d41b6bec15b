"""One table of settings: every default lives in `config.Defaults`, and the README's settings
tables list each setting once, with that default."""

from __future__ import annotations

import re

import pytest

from pont.config import ENVIRONMENT_NAMES, ROOT, Defaults

ROW = re.compile(r"^\| `(?P<name>[A-Z][A-Z0-9_]+)` \| (?P<meaning>[^|]+) \| (?P<default>[^|]+) \|$")
# Defaults that are a path of the repository, shown as such in the README.
PATHS = {"CONTENT_DIR": "`content/` of the repository",
         "TRANSLATIONS_DIR": "`translations/` of the repository"}


def settings() -> dict[str, object]:
    return {name: getattr(Defaults, name) for name in dir(Defaults) if name.isupper()}


def readme_rows() -> list[tuple[str, str]]:
    """(setting, default cell) for every row of the README's settings tables."""
    rows = []
    for line in (ROOT / "README.md").read_text(encoding="utf-8").splitlines():
        match = ROW.match(line)
        if match:
            variable = match["name"]
            name = ENVIRONMENT_NAMES.get(variable, variable.removeprefix("PONT_"))
            rows.append((name, match["default"].strip()))
    return rows


def shown(value: object) -> str | None:
    """How the README writes a default; None when it is described in words."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return f"`{int(value)}`"
    if isinstance(value, tuple):
        return f"`{', '.join(value)}`"
    return f"`{value}`"


def test_every_setting_is_in_one_readme_table_row():
    names = [name for name, _default in readme_rows()]
    assert sorted(set(names)) == sorted(names), "a setting is listed twice"
    assert set(names) == set(settings()), (
        f"missing from the README: {sorted(set(settings()) - set(names))}; "
        f"not a setting: {sorted(set(names) - set(settings()))}")


@pytest.mark.parametrize(("name", "cell"), readme_rows())
def test_the_readme_gives_each_default_as_the_code_has_it(name, cell):
    expected = PATHS.get(name) or shown(settings()[name])
    if expected is None:
        assert not cell.startswith("`"), f"{name}: the default is empty, not {cell}"
    else:
        assert cell.startswith(expected), f"{name}: README says {cell}, the code {expected}"


def test_no_setting_is_read_with_a_default_of_its_own():
    """`config.get("NAME", default)` would be a second default: read `config["NAME"]`."""
    package = ROOT / "site" / "pont"
    found = [f"{path.relative_to(ROOT)}: {match.group(0)}"
             for path in [*package.rglob("*.py"), *package.rglob("*.html")]
             for match in re.finditer(r"config\.get\(\s*[\"'][A-Z_]+[\"']\s*,[^)]*\)",
                                      path.read_text(encoding="utf-8"))]
    assert found == []
