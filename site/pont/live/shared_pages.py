"""Pupils' pages rendered once per step and shared by the pupils who see it the same way.

At each step of a class, its pupils fetch their page within two seconds of one another
(live.js), and they all see the same thing but for their pseudonym, their form's CSRF token
and their own answer (at the end, their own score). A page is rendered once per key (the
session's code and version, the language, the layout and the pupil's answer), with markers
where the pseudonym, the token and the score go; each pupil gets a copy with their own. A
step taken by any process changes the version in the database, hence the key: there is
nothing to invalidate, and old pages fall off the end. The blank join page is shared the
same way, once per language.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable
from threading import Lock

from markupsafe import escape

NAME, TOKEN = "\ue000name\ue000", "\ue000token\ue000"  # private-use characters: never typed
SCORE = "\ue000score\ue000"  # where a pupil's own score goes on the final page (live/views.py)


class SharedPages:
    def __init__(self, size: int = 1024):
        self.size, self.pages, self.lock = size, OrderedDict(), Lock()

    def page(self, key: Hashable, render: Callable[[str, Callable[[], str]], str],
             name: str, token: Callable[[], str]) -> str:
        """The page of `key` for this pupil: `render(name, csrf_token)` is called with the
        markers when it is not kept yet."""
        with self.lock:
            shared = self.pages.get(key)
            if shared is not None:
                self.pages.move_to_end(key)
        if shared is None:
            shared = render(NAME, lambda: TOKEN)
            with self.lock:
                self.pages[key] = shared
                while len(self.pages) > self.size:
                    self.pages.popitem(last=False)
        page = shared.replace(NAME, str(escape(name)))
        return page.replace(TOKEN, token()) if TOKEN in page else page
