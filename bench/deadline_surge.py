"""The last evening before the deadline: many applicants finish and submit at the same moment.

The app runs under gunicorn (4 sync workers) on a scratch PostgreSQL database, with mail
delivered to a local SMTP sink after each commit, as in production. Each applicant is a
thread with its own cookie jar and real CSRF tokens: log in, open "My applications", save
the draft three times (organization, project, project again), attach a 2 MB PDF, submit
and open the confirmation. All start together. The rate limiter is off: in life these people
come from different addresses, here they all come from 127.0.0.1.

Afterwards the database and the upload store are compared: every confirmed submission is in
the database with a unique number and a mail, every attachment row has its file with the
recorded size and hash, every file its row, nothing half-written is left.

Prints `name: value` lines, `surge_errors` last; exits 1 on any error or inconsistency, or if
the surge takes longer than a minute. `SURGE_APPLICANTS` sets the number (default 200).
"""

import os
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from live import applicant_evening, live_site, padded_pdf, percentile, store_check, submissions

APPLICANTS = int(os.environ.get("SURGE_APPLICANTS", "200"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "4"))
PDF_BYTES = 2 * 1024 * 1024
TARGET_SECONDS = 60


def run(applicants: int = APPLICANTS, workers: int = WORKERS) -> dict:
    """Run the surge and the checks; the figures by name."""
    pdf = padded_pdf(PDF_BYTES)
    with live_site(applicants, workers) as site:
        people = site.seeded["applicants"]
        start = threading.Barrier(len(people))
        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=len(people)) as pool:
            outcomes = list(pool.map(
                lambda person: applicant_evening(site.url, person[0], person[1], pdf, start),
                people))
        seconds = time.perf_counter() - started
        stored = submissions(site.app)
        store = store_check(site.app)
        time.sleep(0.5)  # the last mails leave right after their request
        delivered = len(site.smtp.messages)
        server_errors = [line for line in site.log if "Traceback" in line or "ERROR" in line]
    latencies = [r.seconds * 1000 for o in outcomes for r in o.replies]
    confirmed = {o.application_id for o in outcomes if o.submitted}
    errors = [e for o in outcomes for e in o.errors]
    figures = {
        "applicants": applicants,
        "workers": workers,
        "requests": len(latencies),
        "upload_mb_each": PDF_BYTES // (1024 * 1024),
        "surge_seconds": round(seconds, 1),
        "p50_ms": round(percentile(latencies, 0.50)),
        "p95_ms": round(percentile(latencies, 0.95)),
        "max_ms": round(max(latencies, default=0)),
        "submissions_confirmed": len(confirmed),
        "submissions_in_database": len(stored["ids"]),
        "confirmed_missing_in_database": len(confirmed - stored["ids"]),
        "numbers_unique": stored["numbers_unique"],
        "mails_queued": sum(stored["mails"].values()),
        "mails_delivered": delivered,
        **store,
        "server_log_errors": len(server_errors),
        "surge_errors": len(errors),
    }
    figures["_errors"] = errors[:10] + server_errors[:10]
    return figures


def consistent(f: dict) -> bool:
    """Everything confirmed is stored, and the store matches the database."""
    return (
        f["submissions_confirmed"] == f["submissions_in_database"] == f["applicants"]
        and f["confirmed_missing_in_database"] == 0
        and f["numbers_unique"]
        and f["mails_queued"] == f["applicants"]
        and f["attachment_rows"] == f["applicants"]
        and f["attachments_without_file"] == f["attachments_damaged"] == 0
        and f["files_without_row"] == f["incoming_left"] == 0
    )


def main() -> int:
    figures = run()
    for message in figures.pop("_errors"):
        print(f"# {message.strip()}")
    for name, value in figures.items():
        print(f"{name}: {value}")
    ok = (figures["surge_errors"] == 0 and figures["server_log_errors"] == 0
          and consistent(figures) and figures["surge_seconds"] <= TARGET_SECONDS)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
