"""A visitor with one cookie jar, as a browser is, talking real HTTP to the app servers.

Cookies do not depend on the port, so a visitor's cookies set by 127.0.0.1:8001 go to
127.0.0.1:8002 as well, as they would behind a load balancer.
"""

import http.cookiejar
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from html.parser import HTMLParser


@dataclass
class Answer:
    status: int
    location: str
    text: str


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Visitor:
    def __init__(self) -> None:
        self.cookies = http.cookiejar.CookieJar()
        self._opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), _NoRedirects
        )

    def get(self, url: str) -> Answer:
        return self._open(urllib.request.Request(url))  # noqa: S310 - http://127.0.0.1 only

    def post(self, url: str, data: dict) -> Answer:
        body = urllib.parse.urlencode(data).encode()
        request = urllib.request.Request(url, data=body, method="POST")  # noqa: S310 - likewise
        return self._open(request)

    def fill_in(self, url: str, **answers: str) -> Answer:
        """GET the form at ``url``, keep what it holds (the CSRF token, hidden fields, current
        values, the first of each set of radios), change ``answers`` and POST it back there."""
        page = self.get(url)
        assert page.status == 200, (url, page.status)
        return self.post(url, {**form_values(page.text), **answers})

    def cookie(self, name: str) -> http.cookiejar.Cookie | None:
        return next((c for c in self.cookies if c.name == name), None)

    def _open(self, request: urllib.request.Request) -> Answer:
        assert request.full_url.startswith("http://127.0.0.1:"), request.full_url
        try:
            with self._opener.open(request, timeout=30) as response:
                return Answer(response.status, "", response.read().decode())
        except urllib.error.HTTPError as error:  # 3xx (not followed) and 4xx/5xx
            text = error.read().decode(errors="replace")
            return Answer(error.code, error.headers.get("Location", ""), text)


class _FormParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.values: dict[str, str] = {}
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in ("submit", "checkbox"):
            if attrs.get("type") == "radio":
                self.values.setdefault(name, attrs.get("value") or "")
            else:
                self.values[name] = attrs.get("value") or ""
        elif tag == "textarea" and name:
            self._textarea = name
            self.values[name] = ""

    def handle_data(self, data):
        if self._textarea:
            self.values[self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None


def form_values(html: str) -> dict[str, str]:
    parser = _FormParser()
    parser.feed(html)
    return parser.values
