"""Check that the generated files are their generators' output: contracts/operations.py
(scripts/gen_operations.py) and connector/tools/*.py (scripts/gen_tools.py).

The generators read ../shared (the official descriptions and the tool catalogs). Without it there is
nothing to compare with: the check says so and passes. The generators run on a copy of the tree, so
the check never writes a file of the checkout.

    .venv/bin/python scripts/check_generated.py [--shared ../shared]
"""

import argparse
import difflib
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# What the generators read and write, copied for them to run on.
COPIED = ("contracts", "connector", "scripts", "pyproject.toml")
GENERATED = ("contracts/operations.py", "connector/tools")
GENERATORS = ("scripts/gen_operations.py", "scripts/gen_tools.py")


def generated_files(tree: Path) -> dict[str, str]:
    files: dict[str, str] = {}
    for name in GENERATED:
        path = tree / name
        for file in sorted(path.glob("*.py")) if path.is_dir() else [path]:
            files[str(file.relative_to(tree))] = file.read_text()
    return files


def regenerate(shared: Path) -> dict[str, str]:
    with tempfile.TemporaryDirectory(prefix="check-generated-") as scratch:
        tree = Path(scratch)
        for name in COPIED:
            source = ROOT / name
            if source.is_dir():
                shutil.copytree(source, tree / name, ignore=shutil.ignore_patterns("__pycache__"))
            else:
                shutil.copy2(source, tree / name)
        (tree / ".venv").symlink_to(Path(sys.prefix))  # gen_tools.py runs the venv's ruff
        for generator in GENERATORS:
            subprocess.run(
                [sys.executable, str(tree / generator), "--shared", str(shared)],
                check=True,
                cwd=tree,
                stdout=subprocess.DEVNULL,
            )
        return generated_files(tree)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    shared = parser.parse_args().shared.resolve()
    if not (shared / "intercom-openapi").is_dir() or not (shared / "catalog").is_dir():
        print(f"check-generated: skipped, {shared} has no intercom-openapi/ and catalog/ to generate from")
        return 0
    committed, expected = generated_files(ROOT), regenerate(shared)
    stale = sorted(
        name for name in committed.keys() | expected.keys() if committed.get(name) != expected.get(name)
    )
    for name in stale:
        sys.stdout.writelines(
            difflib.unified_diff(
                committed.get(name, "").splitlines(keepends=True),
                expected.get(name, "").splitlines(keepends=True),
                f"{name} (committed)",
                f"{name} (generated)",
            )
        )
    if stale:
        print(f"check-generated: {len(stale)} generated file(s) differ from their generator's output")
        return 1
    print(f"check-generated: {len(committed)} generated files match their generators")
    return 0


if __name__ == "__main__":
    sys.exit(main())
