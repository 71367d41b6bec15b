"""Static files: fingerprinted names in pages, cached for a year; plain names revalidated."""

from __future__ import annotations

import gzip
import re


def test_pages_link_fingerprinted_static_files_cached_for_a_year(client):
    page = client.get("/fr/").get_data(as_text=True)
    links = re.findall(r'"(/static/[^"]+)"', page)
    assert links and all(re.search(r"\.[0-9a-f]{12}\.\w+$", link) for link in links), links
    for link in links:
        response = client.get(link)
        assert response.status_code == 200, link
        assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    plain = client.get("/static/pont.css")
    assert plain.status_code == 200 and "immutable" not in plain.headers["Cache-Control"]
    stylesheet = next(link for link in links if link.endswith(".css"))
    assert plain.data == client.get(stylesheet).data


def test_a_stale_or_made_up_fingerprint_is_not_found(client):
    assert client.get("/static/pont.000000000000.css").status_code == 404


def test_text_files_are_sent_gzipped_to_browsers_that_accept_it(client):
    page = client.get("/fr/eleves/").get_data(as_text=True)
    links = set(re.findall(r'"(/static/[^"]+\.(?:css|js|svg))"', page))
    assert {link.rsplit(".", 1)[1] for link in links} >= {"css", "js", "svg"}, links
    for link in links:
        plain = client.get(link)
        zipped = client.get(link, headers={"Accept-Encoding": "gzip, deflate, br"})
        assert "Content-Encoding" not in plain.headers
        assert zipped.headers["Content-Encoding"] == "gzip"
        assert zipped.headers["Vary"] == "Accept-Encoding" == plain.headers["Vary"]
        assert zipped.headers["Cache-Control"] == plain.headers["Cache-Control"]
        assert zipped.headers["Content-Type"] == plain.headers["Content-Type"]
        assert gzip.decompress(zipped.data) == plain.data
        assert len(zipped.data) < len(plain.data)
