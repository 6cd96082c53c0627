"""The trivial FastAPI health endpoint bench/health.sh compares the hub's /api/health with.

Run with Debian's python3-fastapi and python3-uvicorn (uvloop and httptools when installed):
    /usr/bin/python3 -m uvicorn --app-dir bench health_fastapi:app --port 8798 --log-level warning
"""
from datetime import datetime, timezone

from fastapi import FastAPI

app = FastAPI()


@app.get("/api/health")
def health():
    return {"status": "healthy", "timestamp": datetime.now(timezone.utc).isoformat(), "version": "bench"}
