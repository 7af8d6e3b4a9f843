"""Every state-changing route refuses a request without a CSRF token.

The routes come from the URL map, so a new POST route is covered the day it is added.
"""

import pytest

from pdcompetition import create_app

from .conftest import make_test_config


def state_changing_rules(app):
    for rule in app.url_map.iter_rules():
        methods = (rule.methods or set()) & {"POST", "PUT", "PATCH", "DELETE"}
        if rule.endpoint != "static" and methods:
            yield rule, sorted(methods)


def build_url(rule) -> str:
    from werkzeug.routing.converters import AnyConverter, NumberConverter

    def sample(converter):
        if isinstance(converter, NumberConverter):
            return 1
        if isinstance(converter, AnyConverter):
            return sorted(converter.items)[0]
        return "x"

    return rule.build({name: sample(c) for name, c in rule._converters.items()})[1]


@pytest.fixture
def csrf_app(tmp_path):
    app = create_app(make_test_config(tmp_path, f"sqlite:///{tmp_path / 'csrf.sqlite3'}",
                                      WTF_CSRF_ENABLED=True))
    return app


def test_there_are_state_changing_routes(csrf_app):
    assert len(list(state_changing_rules(csrf_app))) >= 10


def test_every_post_without_token_is_refused(csrf_app):
    client = csrf_app.test_client()
    accepted = []
    for rule, methods in state_changing_rules(csrf_app):
        url = build_url(rule)
        for method in methods:
            response = client.open(url, method=method, data={"x": "1"},
                                   headers={"Accept-Language": "ru"})
            if response.status_code != 400 or "Форма устарела" not in response.get_data(
                    as_text=True):
                accepted.append(f"{method} {rule.rule} -> {response.status_code}")
    assert accepted == []


def test_post_with_token_from_another_session_is_refused(csrf_app):
    first, second = csrf_app.test_client(), csrf_app.test_client()
    page = first.get("/auth/login").get_data(as_text=True)
    import re

    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = second.post("/auth/login", data={"csrf_token": token, "email": "a@b.org",
                                                "password": "x"})
    assert response.status_code == 400
