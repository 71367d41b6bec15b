"""French typography: the no-break spaces that keep `? ! ; :` and `»` from starting a line.

It works on HTML and changes text only: tags and their attribute values, entities, the inside of
`code`, `pre`, `script`, `style` and `textarea`, and anything that looks like a URL or an
address are left as they are. Running it twice gives the same result as running it once.
"""

from __future__ import annotations

import html
import re

NARROW = "\u202f"  # before ; ! ? and between groups of digits
NBSP = "\u00a0"  # before : and inside « »

SKIPPED = {"code", "pre", "script", "style", "textarea", "kbd", "samp"}
TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)\b[^>]*?(/?)>|<!--.*?-->", re.DOTALL)
# URLs, e-mail and web addresses, and {{ placeholders }} or %(name)s markers stay untouched.
UNTOUCHED = re.compile(r"\b[a-z][a-z0-9+.-]*:(?://)?\S+|\bwww\.\S+|\S+@\S+\.\S+"
                       r"|\{\{.*?\}\}|%\([a-z_]+\)[sd]", re.IGNORECASE)
SPACES = f"[ \t\n{NBSP}{NARROW}]"
UNITS = (r"€|%|‰|ans?|années?|mois|semaines?|jours?|heures?|h|min|minutes?|secondes?|euros?"
         r"|km|m|kg|Mo|Go|ko")

RULES = (
    # A space (or none) before ; ! ? becomes a narrow no-break space, once per run ("?!").
    (re.compile(rf"(?<=[^\s;!?:(\[«{NBSP}{NARROW}]){SPACES}*(?=[;!?]+(?:\s|$|[»)\]\"'’.,…]))"),
     NARROW),
    # A space (or none) before a colon that ends a phrase becomes a no-break space.
    (re.compile(rf"(?<=[^\s;!?:(\[«{NBSP}{NARROW}\d]){SPACES}*(?=:(?:\s|$|[»)\]\"'’]))"), NBSP),
    (re.compile(rf"(?<=[\d]){SPACES}+(?=:(?:\s|$))"), NBSP),
    # At the start of a text node (after a closing tag), a space before them is kept too.
    (re.compile(rf"^{SPACES}+(?=[;!?]+(?:\s|$))"), NARROW),
    (re.compile(rf"^{SPACES}+(?=:(?:\s|$))"), NBSP),
    (re.compile(rf"«{SPACES}*"), "«" + NBSP),
    (re.compile(rf"(?<=\S){SPACES}*»"), NBSP + "»"),
    # Groups of three digits stay together: 15 000, 0 800 235 236.
    (re.compile(rf"(?<=\d){SPACES}(?=\d{{3}}(?!\d))"), NARROW),
    # A number stays with its unit or amount: 15 000 €, 3 ans, 5 jours, n° 51.
    (re.compile(rf"(?<=\d){SPACES}+(?=(?:{UNITS})(?![^\W\d_]))"), NBSP),
    (re.compile(rf"(?<=n°){SPACES}+(?=\d)"), NBSP),
)


UNIT_AFTER_PLACEHOLDER = re.compile(rf"^{SPACES}+(?=(?:{UNITS})(?![^\W\d_]))")


def _text(text: str) -> str:
    """Apply the rules to plain text, leaving URLs and placeholders as they are.

    A number placeholder (`%(num)d minutes`, formatted after translation) keeps its unit too.
    """
    parts = []
    last = 0
    number_before = False
    for match in UNTOUCHED.finditer(text):
        parts.append(_apply(text[last:match.start()], number_before))
        parts.append(match.group(0))
        number_before = match.group(0).endswith(")d")
        last = match.end()
    parts.append(_apply(text[last:], number_before))
    return "".join(parts)


def _apply(text: str, number_before: bool = False) -> str:
    if number_before:
        text = UNIT_AFTER_PLACEHOLDER.sub(NBSP, text)
    for pattern, replacement in RULES:
        text = pattern.sub(replacement, text)
    return text


def french(markup: str) -> str:
    """French no-break spaces in the text of an HTML fragment (or of plain text)."""
    out = []
    skipping: list[str] = []
    last = 0
    for match in TAG.finditer(markup):
        out.append(_text_node(markup[last:match.start()], skipping))
        out.append(match.group(0))
        closing, name, self_closing = match.group(1), (match.group(2) or "").lower(), match.group(3)
        if name in SKIPPED and not self_closing:
            if not closing:
                skipping.append(name)
            elif name in skipping:
                del skipping[len(skipping) - 1 - skipping[::-1].index(name)]
        last = match.end()
    out.append(_text_node(markup[last:], skipping))
    return "".join(out)


def _text_node(text: str, skipping: list[str]) -> str:
    if skipping or not text.strip():
        return text
    escaped = html.unescape(text) != text
    result = _text(html.unescape(text))
    return html.escape(result, quote=False) if escaped else result
