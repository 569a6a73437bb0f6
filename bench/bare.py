"""The baseline: a bare FastAPI route serving, for each contact id, the very bytes the fake answered for it.

`FAKE_INTERCOM_BENCH_BODIES` names a JSON file mapping contact ids to those bodies (as text).
"""

import json
import os
from pathlib import Path

from fastapi import FastAPI, Response

BODIES = {
    contact_id: body.encode()
    for contact_id, body in json.loads(Path(os.environ["FAKE_INTERCOM_BENCH_BODIES"]).read_text()).items()
}

# Without telemetry, as the fake runs: the baseline must not pay for what the fake is spared.
app = FastAPI(telemetry={"tracing": False, "metrics": False, "logs": False})


@app.get("/contacts/{contact_id}")
async def contact(contact_id: str) -> Response:
    return Response(BODIES[contact_id], media_type="application/json")
