"""A person's browser for load and fault runs: own cookie jar, real CSRF tokens, no redirects
followed (each request is timed and checked on its own). Standard library only."""

import http.cookiejar
import re
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import encode_multipart

_TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"')


class _KeepRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # the caller sees the 302 and decides


class _Errors(urllib.request.HTTPErrorProcessor):
    def http_response(self, request, response):
        return response  # 4xx and 5xx are answers too, not exceptions

    https_response = http_response


@dataclass
class Reply:
    status: int
    headers: dict
    body: bytes
    seconds: float
    method: str
    path: str

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    @property
    def location(self) -> str:
        return urllib.parse.urlsplit(self.headers.get("Location", "")).path


class Browser:
    """One person: `get`, `post` (form or multipart), `submit_form` with the page's token."""

    def __init__(self, base_url: str, timeout: float = 60):
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), _KeepRedirects(), _Errors()
        )
        self.replies: list[Reply] = []

    def request(self, method: str, path: str, data=None, files=None) -> Reply:
        headers = {"Accept-Language": "ru"}
        body = None
        if files:
            values = MultiDict(list((data or {}).items()))
            for name, (content, filename, content_type) in files.items():
                values.add(name, FileStorage(_bytes_stream(content), filename=filename,
                                             content_type=content_type))
            boundary, body = encode_multipart(values)
            headers["Content-Type"] = f"multipart/form-data; boundary={boundary}"
        elif data is not None:
            body = urllib.parse.urlencode(data).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        request = urllib.request.Request(self.base_url + path, data=body, headers=headers,
                                         method=method)
        started = time.perf_counter()
        with self.opener.open(request, timeout=self.timeout) as response:
            payload = response.read()
            reply = Reply(response.status, dict(response.headers), payload,
                          time.perf_counter() - started, method, path)
        self.replies.append(reply)
        return reply

    def get(self, path: str) -> Reply:
        return self.request("GET", path)

    def post(self, path: str, data: dict | None = None, files: dict | None = None) -> Reply:
        return self.request("POST", path, data or {}, files)

    def submit_form(self, page: str, data: dict | None = None, files: dict | None = None,
                    action: str | None = None, keep=("version", "base")) -> Reply:
        """Open `page`, take its CSRF token (and hidden `keep` fields), post to `action`."""
        shown = self.get(page)
        if shown.status != 200:
            raise RuntimeError(f"GET {page} -> {shown.status}")
        fields = {"csrf_token": csrf_token(shown.text)}
        for name in keep:
            value = hidden_value(shown.text, name)
            if value is not None:
                fields[name] = value
        fields.update(data or {})
        return self.post(action or page, fields, files)

    def login(self, email: str, password: str) -> Reply:
        reply = self.submit_form("/auth/login", {"email": email, "password": password})
        if reply.status != 302:
            raise RuntimeError(f"login of {email} -> {reply.status}")
        return reply


def _bytes_stream(content: bytes):
    import io

    return io.BytesIO(content)


def csrf_token(html: str) -> str:
    match = _TOKEN.search(html)
    if match is None:
        raise RuntimeError("no CSRF token on the page")
    return match.group(1) or match.group(2)


def hidden_value(html: str, name: str) -> str | None:
    """The value of the first input named `name` on the page (HTML entities undone)."""
    import html as html_module

    match = re.search(rf'<input[^>]*name="{re.escape(name)}"[^>]*>', html)
    if match is None:
        return None
    value = re.search(r'value="([^"]*)"', match.group(0))
    return html_module.unescape(value.group(1)) if value else ""
