"""Security: headers on every response, the production profile, login throttling, inert editor HTML."""

import os
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.urls import reverse

from articles.models import Correction, Person
from tests.factories import add_author, add_mention, make_article, make_image, make_person, make_staff

pytestmark = pytest.mark.django_db
REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def pages(client):
    article = make_article()
    person = make_person(slug="someone")
    add_mention(article, person)
    article.tags.add("Syria")
    return [
        "/",
        article.get_absolute_url(),
        "/people/someone/",
        "/tags/syria/",
        "/search/?q=x",
        "/no-such/",
        reverse("admin:login"),
    ]


def test_every_response_carries_the_security_headers(client, pages):
    for path in pages:
        response = client.get(path)
        csp = response["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "unsafe-eval" not in csp, path
        assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
        assert response["Cross-Origin-Opener-Policy"] == "same-origin"
        assert response["X-Frame-Options"] == "DENY"
        assert "camera=()" in response["Permissions-Policy"] and "geolocation=()" in response["Permissions-Policy"]


def test_public_pages_have_no_inline_script_or_style(client, pages):
    for path in pages[:6]:
        html = client.get(path).content.decode()
        for marker in ("<script>", "<script ", " style=", "<style", "javascript:"):
            if marker == "<script " and 'type="application/ld+json"' in html:
                continue
            assert marker not in html, (path, marker)


def _deploy_check(**env):
    base = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    base.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=REPO,
        env=base,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_profile_passes_check_deploy_with_no_warnings():
    result = _deploy_check(
        DJANGO_ENV="production",
        DJANGO_SECRET_KEY="x7$Kq9!vR2#mW4&pZ8*tB1^nY6@cF3%hJ5(dL0)sG9-aE2+uQ7=iO4",
        DJANGO_ALLOWED_HOSTS="news.example.org",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_profile_refuses_to_start_without_a_real_secret():
    result = _deploy_check(DJANGO_ENV="production", DJANGO_ALLOWED_HOSTS="news.example.org")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_the_development_profile_is_flagged_by_check_deploy():
    result = _deploy_check()
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stdout + result.stderr


def test_admin_login_is_locked_after_repeated_failures(client, settings):
    settings.AXES_FAILURE_LIMIT = 3
    make_staff(username="desk")
    url = reverse("admin:login")
    for _ in range(3):
        response = client.post(url, {"username": "desk", "password": "wrong"})
        assert response.status_code in (200, 429)
    locked = client.post(url, {"username": "desk", "password": "correct horse battery"})
    assert locked.status_code == 429
    assert "Too many failed log-in attempts" in locked.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_correct_login_still_works_below_the_limit(client):
    make_staff(username="desk")
    url = reverse("admin:login")
    client.post(url, {"username": "desk", "password": "wrong"})
    response = client.post(url, {"username": "desk", "password": "correct horse battery", "next": "/admin/"})
    assert response.status_code == 302 and client.session.get("_auth_user_id")


def test_weak_passwords_are_refused():
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    for weak in ("password123", "12345678901234", "short"):
        with pytest.raises(ValidationError):
            validate_password(weak)


PAYLOADS = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    '<a href="javascript:alert(1)">click</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">data</a>',
    '<svg onload="alert(1)"><circle r="1"/></svg>',
    '<p style="background:url(javascript:alert(1));width:expression(alert(1))">css</p>',
    '<iframe src="https://evil.example"></iframe>',
    "<p>broken <b>markup <i>never closed",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<a href="jav&#x09;ascript:alert(1)">tab</a>',
    "<object data=x></object><embed src=x>",
    '<form action="https://evil.example"><button>go</button></form>',
    '"><script>alert(1)</script>',
]


class ActiveContentFinder(HTMLParser):
    """Collect every element or attribute in parsed HTML that a browser could run or that restyles the page."""

    BANNED_TAGS = {"script", "style", "svg", "math", "iframe", "object", "embed", "form", "base", "link", "meta"}

    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        if tag in self.BANNED_TAGS:
            self.found.append(tag)
        for name, value in attrs:
            value = "".join((value or "").split()).lower()
            if name.startswith("on") or name in ("style", "srcdoc", "formaction"):
                self.found.append(f"{tag}[{name}]")
            if name in ("href", "src", "action", "data") and value.startswith(("javascript:", "data:", "vbscript:")):
                self.found.append(f"{tag}[{name}={value[:20]}]")


def active_content(html):
    finder = ActiveContentFinder()
    finder.feed(html)
    return finder.found


@pytest.mark.parametrize("payload", PAYLOADS)
def test_editor_typed_html_is_inert_on_every_page(client, payload):
    person = make_person(slug="payload-person", name="Payload Person", bio=payload, job_title=payload)
    image = make_image(caption=payload, credit=payload, alt_text=payload)
    article = make_article(
        body=f"<p>Lead.</p>{payload}",
        dek=payload,
        lead_image=image,
        dateline=payload[:100],
        lead_image_caption=payload,
    )
    add_mention(article, person, title=payload)
    Correction.objects.create(article=article, text=payload)
    for path in (article.get_absolute_url(), "/people/payload-person/", "/"):
        html = client.get(path).content.decode()
        main = html[html.index("<main") : html.index("</main>")]
        assert active_content(main) == [], (path, payload)
    # The finder itself must see an unescaped payload, or the test above proves nothing.
    assert active_content(payload) or payload.startswith("<p>broken")


def test_bios_and_corrections_are_sanitized_on_display_even_if_they_skipped_save(client):
    # A raw fixture load or an update() query never calls save(), where they are sanitized first.
    hostile = '<p>Fixed the date.</p><script>alert(1)</script><img src="x" onerror="alert(2)">'
    person = make_person(slug="pat-hostile", bio="<p>Reporter.</p>")
    article = make_article()
    add_author(article, person)  # a person's page exists once a public story names them
    correction = Correction.objects.create(article=article, text="<p>Placeholder.</p>")
    Correction.objects.filter(pk=correction.pk).update(text=hostile)
    Person.objects.filter(pk=person.pk).update(bio=hostile)
    for path in (article.get_absolute_url(), "/corrections/", "/people/pat-hostile/"):
        html = client.get(path).content.decode()
        assert "<p>Fixed the date.</p>" in html, path
        assert "<script>alert" not in html and "onerror" not in html, path
