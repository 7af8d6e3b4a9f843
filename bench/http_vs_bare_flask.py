"""Requests per second of platform pages against a bare Flask app, under the same gunicorn.

Data: 2,000 applications x 3 jurors x 8 criteria on a scratch PostgreSQL database, results
published. Pages: the public results page, the current-edition home page, and the dashboard
of a juror. Prints `name: value` lines; the ratios to bare Flask come last.
"""

import os
import sys
import tempfile

from harness import Gunicorn, ROOT, login_cookie, make_app, scratch_postgres, seed_scale, wrk

WORKERS = int(os.environ.get("BENCH_WORKERS", "4"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp, scratch_postgres() as database_url:
        app = make_app(database_url, tmp)
        ids = seed_scale(app)
        env = {"DATABASE_URL": database_url, "SECRET_KEY": "bench-secret",
               "UPLOAD_FOLDER": os.path.join(tmp, "uploads"), "RATELIMIT_ENABLED": "false",
               "MAIL_SEND_ON_COMMIT": "false"}
        figures = {}
        with Gunicorn("bare_app:app", env, WORKERS, cwd=ROOT / "bench") as bare:
            bare.wait_ready()
            figures["bare_flask"] = wrk(bare.url + "/", SECONDS)
        with Gunicorn("app:app", env, WORKERS) as server:
            server.wait_ready()
            results_path = f"/editions/{ids['ordinal']}/results"
            figures["results"] = wrk(server.url + results_path, SECONDS)
            figures["home"] = wrk(server.url + "/", SECONDS)
            cookie = login_cookie(server.url, ids["juror_email"])
            figures["jury_dashboard"] = wrk(server.url + "/jury/", SECONDS,
                                            headers={"Cookie": cookie})
    print(f"workers: {WORKERS}")
    print("applications: 2000")
    print("jurors_per_application: 3")
    print("criteria: 8")
    for name, result in figures.items():
        print(f"{name}_rps: {result['rps']:.0f}")
        if result["non_2xx"] or result["socket_errors"]:
            print(f"{name}_errors: {result['non_2xx']} {result['socket_errors']}")
    bare = figures["bare_flask"]["rps"]
    for name in ("home", "jury_dashboard", "results"):
        print(f"{name}_vs_bare_flask: {figures[name]['rps'] / bare:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
