"""Serve the benchmark workspace with one uvicorn worker: `python bench/serve.py PORT INFO_FILE`."""

import json
import sys
from pathlib import Path

import uvicorn

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.workload import build


def main() -> None:
    port, info_file = int(sys.argv[1]), Path(sys.argv[2])
    workload = build()
    info = {key: workload[key] for key in ("token", "contact_ids", "emails", "build_seconds")}
    info_file.write_text(json.dumps(info))
    uvicorn.run(workload["app"], host="127.0.0.1", port=port, log_level="warning", lifespan="off")


if __name__ == "__main__":
    main()
