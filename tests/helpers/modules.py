"""What an import loads, seen from an interpreter of its own (the suite's has loaded everything)."""

import subprocess
import sys


def modules_loaded_by(statement: str) -> set[str]:
    output = subprocess.run(
        [sys.executable, "-c", f"import sys\n{statement}\nprint('\\n'.join(sys.modules))"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return set(output.split())
