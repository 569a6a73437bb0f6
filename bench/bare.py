"""The baseline: a bare FastAPI route returning a constant JSON body."""

from fastapi import FastAPI

app = FastAPI()
BODY = {"type": "contact", "id": "6762f0d01bb69f9f2193bb7d", "role": "user", "email": "ada@example.com"}


@app.get("/bare")
async def bare() -> dict[str, str]:
    return BODY
