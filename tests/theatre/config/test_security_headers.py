"""Production settings pass `check --deploy`, send secure cookies and HSTS; every page carries a
strict Content-Security-Policy, and no template relies on inline script or style it would block."""
import json
import re
import subprocess
import sys

from django.urls import reverse
from tests.support.paths import BASE_DIR

PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "x7!production-like-secret-key-for-the-deploy-check-5f2d0a9c1b7e4d3a8f6c",
    "ALLOWED_HOSTS": "theatre.example.org",
    "CSRF_TRUSTED_ORIGINS": "https://theatre.example.org",
}


def production_env(tmp_path):
    import os

    env = {**os.environ, **PRODUCTION, "THEATRE_VAR_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "theatre.config.settings"}
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # conftest sets it for Playwright; production never does
    return env


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    done = subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"], cwd=BASE_DIR,
                          env=production_env(tmp_path), capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout


def test_production_cookies_are_secure_and_hsts_is_on(tmp_path):
    code = ("import json, django; django.setup(); from django.conf import settings as s; print(json.dumps({k: getattr(s, k) for k in "
            "['SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', 'SESSION_COOKIE_HTTPONLY', 'SECURE_HSTS_SECONDS', "
            "'SECURE_HSTS_INCLUDE_SUBDOMAINS', 'SECURE_SSL_REDIRECT', 'DEBUG']}))")
    done = subprocess.run([sys.executable, "-c", code], cwd=BASE_DIR, env=production_env(tmp_path), capture_output=True,
                          text=True, timeout=60, check=True)
    values = json.loads(done.stdout.strip().splitlines()[-1])
    assert values["SESSION_COOKIE_SECURE"] and values["CSRF_COOKIE_SECURE"] and values["SESSION_COOKIE_HTTPONLY"]
    assert values["SECURE_HSTS_SECONDS"] >= 31536000 and values["SECURE_HSTS_INCLUDE_SUBDOMAINS"]
    assert values["SECURE_SSL_REDIRECT"] and not values["DEBUG"]


def test_every_page_sends_a_strict_content_security_policy(client, alice):
    client.force_login(alice)
    for url in (reverse("theatre:home"), reverse("accounts:login"), reverse("theatre:templates"), reverse("accounts:friends")):
        policy = client.get(url)["Content-Security-Policy"]
        directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
        assert directives["script-src"] == "'self'" and directives["style-src"] == "'self'", url
        assert directives["object-src"] == "'none'" and directives["frame-ancestors"] == "'none'"
        assert "unsafe" not in policy


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)
HANDLER_ATTRIBUTE = re.compile(r"\son[a-z]+\s*=", re.I)
STYLE_ATTRIBUTE = re.compile(r"\sstyle\s*=", re.I)


def test_no_template_has_inline_script_handlers_or_styles():
    problems = []
    for template in sorted((BASE_DIR / "templates").rglob("*.html")):
        text = template.read_text()
        for pattern in (INLINE_SCRIPT, HANDLER_ATTRIBUTE, STYLE_ATTRIBUTE, re.compile("javascript:", re.I)):
            problems += [f"{template.relative_to(BASE_DIR)}: {m.group(0)!r}" for m in pattern.finditer(text)]
    assert not problems


def test_the_language_picker_works_without_inline_script(client):
    page = client.get(reverse("accounts:login")).content.decode()
    assert "data-autosubmit" in page and "js/site.js" in page


def test_only_the_rq_admin_pages_may_run_their_inline_scripts(client, alice):
    alice.is_staff = alice.is_superuser = True
    alice.save()
    client.force_login(alice)
    dashboard = client.get(reverse("admin:django_rq_dashboard_changelist"), follow=True)
    assert "'unsafe-inline'" in dashboard["Content-Security-Policy"]
    assert "unsafe" not in client.get(reverse("admin:index"))["Content-Security-Policy"]
