"""The baseline for bench/review_week.py: a bare ``async def`` JSON endpoint."""

from fastapi import FastAPI

app = FastAPI()


@app.get("/hello")
async def hello() -> dict[str, str]:
    return {"hello": "world"}
