"""Memory of a worker receiving a large upload: the file must stream to disk, never sit in RAM.

The app runs under gunicorn with one sync worker on a scratch PostgreSQL database
(bench/live.py) with a 25 MB per-file limit. The seeded applicant logs in through the real
form and warms the worker up: the pages of the application and two small uploads, so that
imports, templates, the database pool and the upload code paths are all loaded. Then the
worker's idle RSS is read from /proc/<pid>/status, its high-water mark is reset (writing "5"
to /proc/<pid>/clear_refs, where the kernel allows it) and a 20 MB PDF is posted through the
documents form while a thread samples the worker's VmRSS every 2 ms. The peak is the larger
of the sampled maximum and VmHWM read afterwards.

The upload must really succeed: a 302 back to the documents page, an attachment row with the
file's size and hash, its file in the store, nothing left in `.incoming`.

Prints `name: value` lines, `upload_peak_above_idle_mb` last; exits 1 when the peak is more
than 5 MB above idle or the upload did not go through. `UPLOAD_MB` changes the size.
"""

import os
import sys
import threading
import time

from browser import Browser, csrf_token
from harness import PASSWORD
from live import live_site, padded_pdf, store_check

UPLOAD_MB = int(os.environ.get("UPLOAD_MB", "20"))
TARGET_MB = 5.0
SAMPLE_EVERY = 0.002
WARM_UP_PDF_BYTES = 150 * 1024


def status_kb(pid: int, field: str) -> int | None:
    """A `kB` figure (VmRSS, VmHWM, ...) from /proc/<pid>/status, or None if it is gone."""
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except (FileNotFoundError, ProcessLookupError):
        return None
    return None


def reset_high_water_mark(pid: int) -> bool:
    """Set VmHWM back to the current RSS; False where the kernel does not let us."""
    try:
        with open(f"/proc/{pid}/clear_refs", "w") as clear_refs:
            clear_refs.write("5")
        return True
    except OSError:
        return False


class RssSampler(threading.Thread):
    """Reads a process's VmRSS every SAMPLE_EVERY seconds until stopped; keeps the maximum."""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid = pid
        self.peak_kb = 0
        self.samples = 0
        self._halt = threading.Event()

    def run(self):
        while not self._halt.is_set():
            rss = status_kb(self.pid, "VmRSS")
            if rss is not None:
                self.peak_kb = max(self.peak_kb, rss)
                self.samples += 1
            time.sleep(SAMPLE_EVERY)

    def stop(self) -> None:
        self._halt.set()
        self.join()


def _warm_up(browser: Browser, application_id: int) -> None:
    """Normal traffic before measuring: pages of the application and two small uploads."""
    base = f"/applications/{application_id}"
    small = padded_pdf(WARM_UP_PDF_BYTES)
    for round_ in range(2):
        for path in ("/applications/", base, f"{base}/documents", f"{base}/edit/project"):
            reply = browser.get(path)
            if reply.status != 200:
                raise RuntimeError(f"warm-up GET {path} -> {reply.status}")
        reply = browser.submit_form(f"{base}/documents", files={
            "document": (small, f"Справка {round_ + 1}.pdf", "application/pdf")})
        if reply.status != 302:
            raise RuntimeError(f"warm-up upload -> {reply.status}")


def _stored(site, application_id: int, size: int) -> bool:
    """Whether the application has an attachment row of `size` bytes whose file is stored."""
    from pdcompetition.applications import uploads
    from pdcompetition.extensions import db
    from pdcompetition.models import Attachment

    with site.app.app_context():
        names = db.session.scalars(db.select(Attachment.stored_name).where(
            Attachment.application_id == application_id, Attachment.size == size)).all()
        return len(names) == 1 and uploads.stored_path(names[0]).is_file()


def run(upload_mb: int = UPLOAD_MB) -> dict:
    """Warm up, measure idle, upload `upload_mb` MB while sampling; the figures by name."""
    pdf = padded_pdf(upload_mb * 1024 * 1024)
    with live_site(applicants=1, workers=1, smtp=False, UPLOAD_MAX_FILE_MB=25,
                   UPLOAD_MAX_TOTAL_MB=100) as site:
        email, application_id = site.seeded["applicants"][0]
        browser = Browser(site.url, timeout=120)
        browser.login(email, PASSWORD)
        _warm_up(browser, application_id)
        (pid,) = site.worker_pids()
        page = f"/applications/{application_id}/documents"
        token = csrf_token(browser.get(page).text)
        time.sleep(0.3)  # the worker back at rest after that page
        hwm_reset = reset_high_water_mark(pid)
        idle_kb = status_kb(pid, "VmRSS")
        sampler = RssSampler(pid)
        sampler.start()
        started = time.perf_counter()
        reply = browser.post(page, {"csrf_token": token}, files={
            "document": (pdf, "Сканы писем поддержки.pdf", "application/pdf")})
        seconds = time.perf_counter() - started
        time.sleep(0.05)  # a last sample after the response left
        sampler.stop()
        hwm_kb = status_kb(pid, "VmHWM") if hwm_reset else None
        after_kb = status_kb(pid, "VmRSS")
        same_worker = site.worker_pids() == [pid]
        store = store_check(site.app)
        stored = _stored(site, application_id, len(pdf))
    peak_kb = max(sampler.peak_kb, hwm_kb or 0)
    return {
        "upload_mb": round(len(pdf) / 2**20, 1),
        "upload_status": reply.status,
        "upload_redirect": reply.location,
        "upload_seconds": round(seconds, 2),
        "attachment_stored": stored and store["attachments_damaged"] == 0
        and store["attachments_without_file"] == 0 and store["incoming_left"] == 0,
        "same_worker": same_worker,
        "rss_samples": sampler.samples,
        "hwm_reset": hwm_reset,
        "idle_rss_mb": round(idle_kb / 1024, 1),
        "sampled_peak_rss_mb": round(sampler.peak_kb / 1024, 1),
        "hwm_peak_rss_mb": round(hwm_kb / 1024, 1) if hwm_kb else "n/a",
        "rss_after_mb": round(after_kb / 1024, 1) if after_kb else "n/a",
        "peak_rss_mb": round(peak_kb / 1024, 1),
        "upload_peak_above_idle_mb": round((peak_kb - idle_kb) / 1024, 2),
    }


def succeeded(figures: dict, page_suffix: str = "/documents") -> bool:
    """The upload went through: redirected back to the documents, stored whole, same worker."""
    return (figures["upload_status"] == 302 and figures["upload_redirect"].endswith(page_suffix)
            and figures["attachment_stored"] and figures["same_worker"]
            and figures["rss_samples"] > 0)


def main() -> int:
    figures = run()
    for name, value in figures.items():
        print(f"{name}: {value}")
    if not succeeded(figures):
        print("upload did not go through (see the figures above)", file=sys.stderr)
        return 1
    return 0 if figures["upload_peak_above_idle_mb"] <= TARGET_MB else 1


if __name__ == "__main__":
    sys.exit(main())
