"""Static files: fingerprinted names in pages, cached for a year; plain names revalidated."""

from __future__ import annotations

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
