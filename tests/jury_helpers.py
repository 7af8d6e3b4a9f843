"""Shared set-up for the jury tests: an edition, a juror with a seat and assignments."""

from types import SimpleNamespace

from pdcompetition.models import ApplicationState

from . import factories


def setup_jury(db, *, n: int = 1, confirmed: bool = True, juror=None, edition=None, **edition_kw):
    """An active edition, a juror seated in its jury and `n` accepted applications assigned."""
    edition = edition or factories.make_edition(**edition_kw)
    juror = juror or factories.make_juror(timezone="Asia/Bishkek")
    member = factories.add_to_jury(
        edition, juror, coi_confirmed_at=factories.now() if confirmed else None
    )
    applications = [
        factories.make_application(
            edition, state=ApplicationState.ACCEPTED,
            nomination=edition.nominations[i % len(edition.nominations)],
            country_code="KZ" if i % 2 else "RU", region_code="" if i % 2 else "RU-PER",
        )
        for i in range(n)
    ]
    assignments = [factories.assign(application, juror) for application in applications]
    db.session.commit()
    return SimpleNamespace(
        edition=edition, juror=juror, member=member, applications=applications,
        assignments=assignments,
    )


def post_sheet(client, application, scores, *, comments=None, overall="", version=0,
               submit=False):
    """Post the scoring form as a browser would (every criterion's fields as given)."""
    data = {"version": str(version), "overall_comment": overall}
    for criterion_id, value in scores.items():
        data[f"score_{criterion_id}"] = value
        data[f"comment_{criterion_id}"] = (comments or {}).get(criterion_id, "")
    data["submit" if submit else "save"] = "1"
    return client.post(f"/jury/applications/{application.id}", data=data)
