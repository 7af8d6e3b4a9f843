"""Requests per second of platform pages against a bare Flask app, under the same gunicorn.

Data: 2,000 applications x 3 jurors x 8 criteria on a scratch PostgreSQL database, results
published. Pages: the public results page, the current-edition home page, and the dashboard
of a juror. Prints `name: value` lines; the ratios to bare Flask come last. Exits 1 when a
target is missed: results and home at least 60% of bare Flask, the juror's dashboard 30%.

The app runs as in production with several workers: REDIS_URL set (BENCH_REDIS_URL,
default the local Redis), which the juror dashboard's cache needs.
"""

import os
import sys
import tempfile
import urllib.request

from harness import (
    ROOT,
    USER_AGENT,
    Gunicorn,
    login_cookie,
    make_app,
    scratch_postgres,
    seed_scale,
    wrk,
)

WORKERS = int(os.environ.get("BENCH_WORKERS", "4"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")
TARGETS = {"results": 0.60, "home": 0.60, "jury_dashboard": 0.30}


def cache_state(url: str, cookie: str = "") -> str:
    """What the app says of one request: served from its page cache or rendered."""
    headers = {"User-Agent": USER_AGENT, **({"Cookie": cookie} if cookie else {})}
    request = urllib.request.Request(url, headers=headers)
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.headers.get("X-Page-Cache") or "rendered"


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp, scratch_postgres() as database_url:
        app = make_app(database_url, tmp)
        ids = seed_scale(app)
        env = {"DATABASE_URL": database_url, "SECRET_KEY": "bench-secret",
               "UPLOAD_FOLDER": os.path.join(tmp, "uploads"), "RATELIMIT_ENABLED": "false",
               "MAIL_SEND_ON_COMMIT": "false", "REDIS_URL": REDIS_URL}
        figures = {}
        with Gunicorn("bare_app:app", env, WORKERS, cwd=ROOT / "bench") as bare:
            bare.wait_ready()
            figures["bare_flask"] = wrk(bare.url + "/", SECONDS)
        with Gunicorn("app:app", env, WORKERS) as server:
            server.wait_ready()
            results_path = f"/editions/{ids['ordinal']}/results"
            figures["results"] = wrk(server.url + results_path, SECONDS)
            figures["home"] = wrk(server.url + "/", SECONDS)
            cookie = login_cookie(server.url, ids["juror_email"], then="/jury/")
            figures["jury_dashboard"] = wrk(server.url + "/jury/", SECONDS,
                                            headers={"Cookie": cookie, "User-Agent": USER_AGENT})
            states = {"home": cache_state(server.url + "/"),
                      "results": cache_state(server.url + results_path),
                      "jury_dashboard": cache_state(server.url + "/jury/", cookie)}
    print(f"workers: {WORKERS}")
    print("applications: 2000")
    print("jurors_per_application: 3")
    print("criteria: 8")
    for name, result in figures.items():
        print(f"{name}_rps: {result['rps']:.0f}")
        if result["non_2xx"] or result["socket_errors"]:
            print(f"{name}_errors: {result['non_2xx']} {result['socket_errors']}")
    for name, state in states.items():
        print(f"{name}_page_cache: {state}")
    bare = figures["bare_flask"]["rps"]
    missed = []
    for name in ("home", "jury_dashboard", "results"):
        ratio = figures[name]["rps"] / bare
        print(f"{name}_vs_bare_flask: {ratio:.2f}")
        if ratio < TARGETS[name]:
            missed.append(f"{name} {ratio:.2f} < {TARGETS[name]:.2f}")
    if missed:
        print("targets missed: " + ", ".join(missed), file=sys.stderr)
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
