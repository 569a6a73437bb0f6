"""Jobs: work Intercom accepts now and does later, such as POST /tickets/enqueue.

A resource enqueues with `create_job(ctx, resource_type, runner, payload)`, naming a runner it
registered with `@job_runner(name)`. The fake's rule for "later" is deterministic: a job runs the
first time its status is read (GET /jobs/status/{id}), so the enqueueing response always says
`pending` and every later read says `success` (with the resource made) or `failed`. A runner
returns the id and URL of what it made, or raises IntercomError to fail the job; a failed run
leaves nothing behind. `complete_job` runs a pending job at once, for callers that need its result.
"""

from collections.abc import Callable
from typing import Any

from fastapi import Depends

from contracts.models.jobs import Job
from fake_intercom import responses
from fake_intercom.context import Ctx, context
from fake_intercom.errors import IntercomError, job_not_found
from fake_intercom.routing import IntercomRouter
from fake_intercom.store import dumps, loads, table

JOBS = table(
    "jobs",
    {"id": str, "status": str, "runner": str, "payload": str, "created_at": int, "data": str},
)

Runner = Callable[[Ctx, dict[str, Any]], tuple[str, str]]
"""Does the job's work from its payload; returns (resource id, resource path such as /tickets/1)."""

RUNNERS: dict[str, Runner] = {}

router = IntercomRouter(tags=["Jobs"])


def job_runner(name: str) -> Callable[[Runner], Runner]:
    def register(runner: Runner) -> Runner:
        RUNNERS[name] = runner
        return runner

    return register


def create_job(ctx: Ctx, resource_type: str, runner: str, payload: dict[str, Any]) -> dict[str, Any]:
    if runner not in RUNNERS:
        raise ValueError(f"no job runner named {runner!r}")
    job_id = ctx.store.numeric_id(ctx.ws, "job", base=0)
    job = {
        "type": "job",
        "id": job_id,
        "status": "pending",
        "url": f"{ctx.base_url}/jobs/status/{job_id}",
        "resource_type": resource_type,
        "resource_id": None,
        "resource_url": None,
    }
    ctx.store.insert(
        "jobs",
        {
            "workspace_id": ctx.ws,
            "id": job_id,
            "status": "pending",
            "runner": runner,
            "payload": dumps(payload),
            "created_at": ctx.now(),
            "data": dumps(job),
        },
    )
    return job


def complete_job(ctx: Ctx, job_id: str) -> dict[str, Any] | None:
    """Run the job if it is still pending; the job as it now stands, or None if there is none."""
    row = ctx.store.row("jobs", ctx.ws, str(job_id))
    if row is None:
        return None
    job = loads(row["data"])
    if row["status"] != "pending":
        return job
    try:
        with ctx.store.atomic():
            resource_id, path = RUNNERS[row["runner"]](ctx, loads(row["payload"]))
    except IntercomError:
        job["status"] = "failed"
    else:
        job.update(status="success", resource_id=resource_id, resource_url=f"{ctx.base_url}{path}")
    with ctx.store.atomic():
        ctx.store.update("jobs", ctx.ws, job["id"], {"status": job["status"], "data": dumps(job)})
    return job


@router.operation("jobsStatus", response_model=Job)
async def jobs_status(job_id: str, ctx: Ctx = Depends(context)) -> Any:
    job = complete_job(ctx, job_id)
    if job is None:
        raise job_not_found()
    return responses.json(job)
