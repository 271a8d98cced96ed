"""The baseline for bench/web_bench.py: a bare ``async def`` JSON endpoint."""

from fastapi import FastAPI

app = FastAPI()


@app.get("/hello")
async def hello() -> dict[str, str]:
    return {"hello": "world"}
