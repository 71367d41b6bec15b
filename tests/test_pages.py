"""Every public page in both languages: language, switcher, caching and bad paths."""

from __future__ import annotations

import html
import re

import pytest

from pont.i18n import AUDIENCES, REGISTRY


def public_urls(library):
    for lang in ("fr", "en"):
        yield f"/{lang}/"
        yield {"fr": "/fr/aide", "en": "/en/help"}[lang]
        for audience in AUDIENCES:
            word = REGISTRY[lang].words[audience]
            yield f"/{lang}/{word}/"
            for module in library.audience(lang, audience):
                yield f"/{lang}/{word}/{module.slug}"
        yield f"/{lang}/{REGISTRY[lang].words['platforms']}"
        for guide in library.platform_guides(lang):
            yield f"/{lang}/{REGISTRY[lang].words['platforms']}/{guide.slug}"
        for (plan_lang, slug) in library.lessons:
            if plan_lang == lang:
                yield {"fr": f"/fr/enseignants/fiches/{slug}",
                       "en": f"/en/teachers/lesson-plans/{slug}"}[lang]


def html_lang(response) -> str:
    return re.search(r'<html lang="(\w+)">', response.get_data(as_text=True)).group(1)


def test_root_redirects_by_accept_language(client):
    assert client.get("/").headers["Location"] == "/fr/"
    assert client.get("/", headers={"Accept-Language": "en-GB,en;q=0.9"}).headers[
        "Location"] == "/en/"
    assert client.get("/", headers={"Accept-Language": "de"}).headers["Location"] == "/fr/"
    assert "Accept-Language" in client.get("/").headers["Vary"]


def test_every_page_is_in_its_language_and_switches_to_the_same_page(client, library):
    urls = list(public_urls(library))
    assert len(urls) >= 10
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        lang = url.split("/")[1]
        assert html_lang(response) == lang, url
        other = "en" if lang == "fr" else "fr"
        page = response.get_data(as_text=True)
        switch = re.search(rf'<a class="lang-switch" href="([^"]+)" hreflang="{other}"', page)
        assert switch, url
        target = client.get(switch.group(1))
        assert target.status_code == 200
        assert html_lang(target) == other
        # The switcher of the other page leads back here: the same page, not its home.
        back = re.search(rf'<a class="lang-switch" href="([^"]+)" hreflang="{lang}"',
                         target.get_data(as_text=True))
        assert back.group(1) == url


def test_interface_is_translated(client):
    fr = client.get("/fr/").get_data(as_text=True)
    en = client.get("/en/").get_data(as_text=True)
    assert "Besoin d'aide\u202f?" in html.unescape(fr)  # French typography
    assert "Quitter vite" in fr and "Aller au contenu" in fr
    assert "Get help" in en and "Quick exit" in en and "Skip to content" in en


def test_help_button_skip_link_and_quick_exit_on_every_page(client, library):
    for url in public_urls(library):
        page = client.get(url).get_data(as_text=True)
        body = page[page.index("<body>"):]
        first_link = re.search(r"<a [^>]*>", body).group(0)
        assert 'class="skip-link"' in first_link, url
        assert 'class="button help-button"' in page, url
        assert "data-quick-exit" in page, url


def test_help_page_reads_numbers_from_contacts(client, library):
    contacts = library.contacts
    fr = client.get("/fr/aide").get_data(as_text=True)
    en = client.get("/en/help").get_data(as_text=True)
    for page in (fr, en):
        for name in ("police", "emergency", "sms", "helpline"):
            assert f">{contacts[name]['number']}<" in page
        assert contacts["pharos"]["url"] in page
    assert contacts["helpline"]["fr"]["hours"] in fr
    assert contacts["helpline"]["en"]["hours"] in en


def test_module_page_has_toc_sources_quiz_and_lesson_link(client, library):
    module = library.audience("fr", "pupils")[0]
    page = client.get(f"/fr/eleves/{module.slug}").get_data(as_text=True)
    assert 'class="toc"' in page
    for entry in module.toc:
        assert f'id="{entry.id}"' in page
    for source in module.sources:
        assert source.url in page
    assert 'id="quiz"' in page
    assert f"/fr/enseignants/fiches/{module.slug}" in page
    assert "minutes de lecture" in page or "minute de lecture" in page


def test_dates_follow_the_locale(client, library):
    module = library.audience("fr", "pupils")[0]
    fr = client.get(f"/fr/eleves/{module.slug}").get_data(as_text=True)
    en = client.get(f"/en/pupils/{module.slug}").get_data(as_text=True)
    day = module.reviewed.day
    assert re.search(rf"{day} (janvier|février|mars|avril|mai|juin|juillet|août|septembre|"
                     rf"octobre|novembre|décembre) {module.reviewed.year}", fr)
    assert re.search(rf"(January|February|March|April|May|June|July|August|September|October|"
                     rf"November|December) {day}, {module.reviewed.year}", en)


def test_etag_and_304(client):
    first = client.get("/fr/aide")
    etag = first.headers["ETag"]
    assert etag
    again = client.get("/fr/aide", headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.data == b""
    changed = client.get("/fr/aide", headers={"If-None-Match": '"something-else"'})
    assert changed.status_code == 200


def test_compressed_when_asked(client):
    plain = client.get("/en/help")
    packed = client.get("/en/help", headers={"Accept-Encoding": "gzip"})
    assert packed.headers["Content-Encoding"] == "gzip"
    assert len(packed.data) < len(plain.data) / 2
    assert packed.headers["ETag"] != plain.headers["ETag"]


def test_reading_pages_sets_no_cookie(client, library):
    for url in public_urls(library):
        assert "Set-Cookie" not in client.get(url).headers, url


@pytest.mark.parametrize(
    ("url", "lang"),
    [
        ("/en/pupils/no-such-module", "en"),
        ("/fr/eleves/no-such-module", "fr"),
        ("/fr/pupils/", "fr"),  # English audience word under /fr/
        ("/en/eleves/", "en"),
        ("/en/nowhere", "en"),
        ("/de/", "fr"),
        ("/fr/eleves/..%2F..%2Fconfig", "fr"),
        ("/fr/eleves/../../pyproject.toml", "fr"),
        ("/en/pupils/%00", "en"),
        ("/en/teachers/lesson-plans/nope", "en"),
    ],
)
def test_unknown_pages_are_404_in_the_right_language(client, url, lang):
    response = client.get(url)
    assert response.status_code == 404
    assert html_lang(response) == lang
    page = html.unescape(response.get_data(as_text=True))
    assert {"fr": "Cette page n'existe pas", "en": "This page does not exist"}[lang] in page
    assert "Traceback" not in page


def test_security_headers(client):
    headers = client.get("/fr/").headers
    assert "default-src 'self'" in headers["Content-Security-Policy"]
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["X-Content-Type-Options"] == "nosniff"


def test_no_asset_from_another_host(client, library):
    for url in public_urls(library):
        page = client.get(url).get_data(as_text=True)
        for tag in re.findall(r"<(?:script|link|img)\b[^>]*>", page):
            ref = re.search(r'(?:src|href)="([^"]+)"', tag)
            if 'rel="alternate"' in tag:
                continue
            assert ref and ref.group(1).startswith("/"), (url, tag)


def test_french_catalogue_is_complete():
    from pathlib import Path

    from babel.messages.pofile import read_po

    from pont.config import Defaults

    with open(Path(Defaults.TRANSLATIONS_DIR) / "fr/LC_MESSAGES/messages.po", "rb") as po:
        catalog = read_po(po, locale="fr")
    untranslated = [m.id for m in catalog if m.id and (
        m.fuzzy or not (all(m.string) if isinstance(m.string, tuple) else m.string))]
    assert untranslated == []


def test_behind_a_proxy_the_client_address_is_the_forwarded_one(app_config):
    from flask import request

    from pont import create_app

    proxied = create_app({**app_config, "PROXY_COUNT": 1})
    proxied.add_url_rule("/_ip", "ip", lambda: request.remote_addr)
    seen = proxied.test_client().get("/_ip", headers={"X-Forwarded-For": "203.0.113.9"},
                                     environ_base={"REMOTE_ADDR": "127.0.0.1"})
    assert seen.get_data(as_text=True) == "203.0.113.9"


@pytest.mark.parametrize("lang, plans", [("fr", "/fr/enseignants/fiches"),
                                         ("en", "/en/teachers/lesson-plans")])
def test_every_plan_links_its_quiz_to_print_with_the_answer_key_last(client, library, lang,
                                                                     plans):
    slugs = sorted(slug for (lg, slug) in library.lessons if lg == lang)
    for slug in slugs:
        plan = client.get(f"{plans}/{slug}").get_data(as_text=True)
        assert f'href="{plans}/{slug}/quiz"' in plan, slug
    module = library.module(lang, "pupils", slugs[0])
    page = client.get(f"{plans}/{slugs[0]}/quiz")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    questions, key = map(html.unescape, text.split('class="answer-key"'))
    for question in module.quiz.questions:
        assert question.prompt in questions and question.prompt in key
        shown = [questions.index(o.text, questions.index(question.prompt))
                 for o in question.options if o.text]
        assert shown == sorted(shown), "options in the order every page shows"
        for option in question.options:
            assert (option.feedback in key) == option.correct
    assert client.get(f"{plans}/nope/quiz").status_code == 404
