"""The English guide through the test client: text, structure, safety."""
from __future__ import annotations

import re

import pytest

from helpers import page_text, parse_html
from source import source_labels, source_sentences

PAGES = ["/", "/en/", "/en/questions/", "/en/about/", "/en/offline/", "/404.html", "/poster/", "/poster/en/"]


@pytest.mark.parametrize("sentence", source_sentences())
def test_every_source_sentence_is_in_the_english_guide(client, sentence):
    assert sentence in page_text(client.get("/en/").get_data(as_text=True))


def test_source_labels_become_headings(client):
    html = client.get("/en/").get_data(as_text=True)
    headings = [re.sub(r"<[^>]+>", "", h).strip().lower() for h in re.findall(r"<h3[^>]*>(.*?)</h3>", html)]
    assert [label.lower() for label in source_labels()] == headings


def test_guide_structure_and_anchors(client):
    html = client.get("/en/").get_data(as_text=True)
    for anchor in ("types", "collagen", "hyaluronic-acid", "plla", "caha", "considerations", "effectiveness",
                   "procedure", "recovery", "risks", "dermatologist", "expertise", "plan", "alternatives",
                   "final-thoughts"):
        assert f'id="{anchor}"' in html
    assert html.count("<h1>") == 1
    toc = re.search(r'<nav class="toc".*?</nav>', html, re.S).group(0)
    assert re.findall(r'href="#([^"]+)"', toc) == ["key-points", "types", "considerations", "dermatologist",
                                                   "final-thoughts"]


def test_key_points_are_only_source_statements(client):
    html = client.get("/en/").get_data(as_text=True)
    box = re.search(r'<div class="box key-points">(.*?)</div>', html, re.S).group(1)
    items = [" ".join(re.sub(r"<[^>]+>", "", i).split()) for i in re.findall(r"<li>(.*?)</li>", box, re.S)]
    assert items and all(item in source_sentences() for item in items)


@pytest.mark.parametrize("url", PAGES)
def test_every_page_is_safe_and_accessible_html(client, url):
    response = client.get(url)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    parsed = parse_html(html)
    csp = next(a["content"] for t, a in parsed.tags if t == "meta" and a.get("http-equiv") ==
               "Content-Security-Policy")
    script_src = re.search(r"script-src ([^;]+)", csp).group(1)
    assert "'unsafe-inline'" not in script_src and "'self'" in script_src
    for tag, attrs in parsed.tags:
        assert not any(name.startswith("on") for name in attrs), f"event handler attribute on <{tag}>"
        if tag == "script":
            assert attrs.get("src"), "no inline scripts"
        assert "style" not in attrs or tag == "svg", f"inline style on <{tag}>"
    assert not [u for u in parsed.urls if re.match(r"^(https?:)?//", u) and "clinic.example" not in u], \
        "nothing is loaded or linked from another origin"
    assert re.search(r'<html lang="en" dir="ltr"', html)
    assert 'class="skip" href="#main"' in html and '<main id="main"' in html


def test_pages_link_with_relative_urls(client):
    html = client.get("/en/questions/").get_data(as_text=True)
    urls = parse_html(html).urls
    assert "../" in urls and "../about/" in urls
    assert all(not u.startswith("/") for u in urls), urls


def test_unknown_page_is_404_with_the_error_page(client):
    response = client.get("/en/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.get_data(as_text=True)
    assert client.get("/xx/").status_code == 404


def test_about_page_has_dates_disclaimer_and_privacy(client):
    html = client.get("/en/about/").get_data(as_text=True)
    text = page_text(html)
    assert "<dt>Last reviewed</dt><dd>November 24, 2026</dd>" in html
    assert "<dt>Next review due</dt><dd>November 24, 2027</dd>" in html
    assert "does not replace advice from your own dermatologist or clinician" in text
    assert "does not track you" in text and "no cookies" in text


def test_questions_page_is_a_checklist_from_the_consultation_section(client):
    html = client.get("/en/questions/").get_data(as_text=True)
    assert '<div class="box checklist">' in html
    questions = re.findall(r"<li>(.*?)</li>", re.search(r'class="box checklist">(.*?)</div>', html, re.S).group(1))
    assert len(questions) == 7 and all(q.endswith("?") for q in questions)


def test_chooser_lists_languages_by_own_name(client):
    html = client.get("/").get_data(as_text=True)
    assert re.search(r'<a href="en/" hreflang="en" lang="en"[^>]*><span class="lang-name">English</span>', html)


def test_robots_and_no_sitemap_without_site_url(client):
    assert client.get("/robots.txt").get_data(as_text=True) == "User-agent: *\nAllow: /\n"
    assert client.get("/sitemap.xml").status_code == 404


def test_review_dates_in_footer(client):
    text = page_text(client.get("/en/").get_data(as_text=True), main_only=False)
    assert "Last reviewed: November 24, 2026 · Next review due: November 24, 2027" in text
