"""SQL statements per request of every list page, at 20 and at 2,000 applications.

    .venv/bin/python bench/queries_per_page.py                  # temporary SQLite files
    TEST_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test \
        .venv/bin/python bench/queries_per_page.py

Each size gets its own database (a scratch PostgreSQL database when TEST_DATABASE_URL or
BENCH_DATABASE_URL is set): an edition with published results built by
harness.seed_scale (three jurors per application, 8 criteria, jurors growing with the
edition: 6 at 20, 60 at 2,000), plus what the other list pages show, spread(n) of each
kind (4 at 20, 44 at 2,000; tests/list_pages.py::add_surroundings). The pages are those
of tests/list_pages.py::LIST_PAGES; the script stops if a GET route of the app is in
neither LIST_PAGES nor NOT_LIST_PAGES. Each page is requested once in the Flask test
client by the role that may see it, counting statements with a `before_cursor_execute`
listener. Prints `queries_<page>_at_20` and `..._at_2000` lines, then the headline
`list_pages_with_n_plus_one`; exits 1 if it is not 0 or a page did not answer 200 (the
pages at fault go to stderr with the statement the larger run repeats).
LIST_PAGES_SIZES=20,200 changes the two sizes for a quicker look.
"""

import os
import sys
import tempfile
import time
from contextlib import contextmanager

from harness import PASSWORD, make_app, scratch_postgres, seed_scale  # the repository on sys.path

from tests import list_pages

SIZES = tuple(int(n) for n in os.environ.get("LIST_PAGES_SIZES", "20,2000").split(","))
POSTGRES = bool(os.environ.get("BENCH_DATABASE_URL") or os.environ.get("TEST_DATABASE_URL"))


@contextmanager
def database(tmp: str, size: int):
    """A scratch PostgreSQL database, or a SQLite file in `tmp`."""
    if POSTGRES:
        with scratch_postgres() as url:
            yield url
    else:
        yield f"sqlite:///{tmp}/list-pages-{size}.sqlite3"


def measure(size: int, tmp: str) -> tuple[dict, dict]:
    """Build an edition of `size` applications and count every list page's statements."""
    from pdcompetition.extensions import db

    with database(tmp, size) as url:
        app = make_app(url, tmp, TESTING=True, WTF_CSRF_ENABLED=False,
                       RATELIMIT_STORAGE_URI="memory://", PAGE_CACHE_ENABLED=False,
                       JURY_DASHBOARD_CACHE=False)
        problems = list_pages.catalogue_problems(app)
        if problems:
            sys.exit("list pages not classified:\n  " + "\n  ".join(problems))
        started = time.monotonic()
        ids = seed_scale(app, applications=size, jurors=max(6, size // 33))
        with app.app_context():
            world = list_pages.add_surroundings(
                ids["edition_id"], ids["juror_email"], applicant_id=first_applicant(),
                password=PASSWORD, applications=size)
            engine = db.engine
            db.session.remove()
        seeded = time.monotonic() - started
        started = time.monotonic()
        found = list_pages.count_statements(app, engine, world)
        counted = time.monotonic() - started
        with app.app_context():
            db.session.remove()
        engine.dispose()
    return found, {"rows": world.rows, "seed_seconds": seeded, "count_seconds": counted}


def first_applicant() -> int:
    """The owner of the edition's first application: the applicant whose pages we read."""
    import sqlalchemy as sa

    from pdcompetition.extensions import db
    from pdcompetition.models import Application

    return db.session.scalar(sa.select(Application.owner_id).order_by(Application.id).limit(1))


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        (small, small_info), (large, large_info) = (measure(size, tmp) for size in SIZES)
    print(f"backend: {'postgresql' if POSTGRES else 'sqlite'}")
    print(f"list_pages: {len(small)}")
    for size, info in zip(SIZES, (small_info, large_info), strict=True):
        print(f"other_records_of_each_kind_at_{size}: {info['rows']['each_other_kind']}")
        print(f"seed_seconds_at_{size}: {info['seed_seconds']:.1f}")
        print(f"count_seconds_at_{size}: {info['count_seconds']:.1f}")
    slowest = max(large, key=lambda label: large[label].seconds)
    print(f"slowest_page_at_{SIZES[1]}: {slowest}")
    print(f"slowest_page_seconds_at_{SIZES[1]}: {large[slowest].seconds:.1f}")
    for label in small:
        print(f"queries_{label}_at_{SIZES[0]}: {len(small[label].statements)}")
        print(f"queries_{label}_at_{SIZES[1]}: {len(large[label].statements)}")
    problems = list_pages.differences(small, large)
    for problem in problems:
        print(f"# {problem}", file=sys.stderr)
    growing = sum(1 for label in small
                  if len(small[label].statements) != len(large[label].statements))
    print(f"list_pages_with_n_plus_one: {growing}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
