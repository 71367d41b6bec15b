"""Join codes, secrets and pseudonyms: readable, unambiguous, and unique where they must be."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from pont.db import get_session
from pont.live import codes, pseudonyms, sessions
from pont.live.models import LiveSession

AMBIGUOUS = set("0O1IL2Z5S6G8BQUV")


def test_the_alphabet_has_no_ambiguous_character_and_no_vowel():
    assert not AMBIGUOUS & set(codes.ALPHABET)
    assert not set("AEIOUY") & set(codes.ALPHABET)
    assert len(set(codes.ALPHABET)) == len(codes.ALPHABET) >= 16


def test_new_codes_are_well_formed_and_never_spell_a_blocked_word():
    made = [codes.new_code() for _ in range(3000)]
    assert all(codes.is_well_formed(code) for code in made)
    assert not [code for code in made if any(word in code for word in codes.BLOCKED)]
    # 17^6 (24 million) possible codes: 3,000 draws should almost never repeat.
    assert len(set(made)) >= 2995


def test_a_blocked_word_is_drawn_again():
    draws = iter("FDP479" + "CDF479")
    assert codes.new_code(lambda _alphabet: next(draws)) == "CDF479"


@pytest.mark.parametrize(("typed", "code"), [
    ("cdf479", "CDF479"), (" CDF 479 ", "CDF479"), ("cdf-479", "CDF479"),
    ("CDF\u202f479", "CDF479"), ("c.d.f.4.7.9", "CDF479"),
])
def test_what_pupils_type_is_normalized(typed, code):
    assert codes.normalize(typed) == code
    assert codes.is_well_formed(codes.normalize(typed))


@pytest.mark.parametrize("typed", ["", "CDF47", "CDF4799", "CDF47O", "CDF471", "ÇDF479",
                                   "CDF 47", "<script>", "CDF479" * 50])
def test_malformed_codes_are_refused(typed):
    assert not codes.is_well_formed(codes.normalize(typed))


def test_secrets_are_long_random_and_stored_as_digests():
    secrets = {codes.new_secret() for _ in range(200)}
    assert len(secrets) == 200
    secret = secrets.pop()
    assert len(secret) >= 32
    stored = codes.digest(secret)
    assert secret not in stored and len(stored) == 64
    assert codes.matches(secret, stored)
    assert not codes.matches(secret + "x", stored)
    assert not codes.matches(None, stored) and not codes.matches("", stored)


def test_every_pseudonym_reads_differently_in_each_language():
    assert len(pseudonyms.ALL) == len(set(pseudonyms.ALL)) == (
        len(pseudonyms.COLOURS) * len(pseudonyms.ANIMALS))
    assert len(pseudonyms.ALL) >= pseudonyms_needed()
    for lang in ("fr", "en"):
        labels = [pseudonyms.label(pid, lang) for pid in pseudonyms.ALL]
        assert len(set(labels)) == len(labels), lang
        assert all(label[0].isupper() for label in labels)


def pseudonyms_needed() -> int:
    return sessions.MAX_PARTICIPANTS


@pytest.mark.parametrize(("pid", "fr", "en"), [
    ("blue-owl", "Chouette bleue", "Blue Owl"),
    ("blue-fox", "Renard bleu", "Blue Fox"),
    ("purple-panther", "Panthère violette", "Purple Panther"),
    ("orange-starfish", "Étoile de mer orange", "Orange Starfish"),
    ("sky-sealion", "Otarie bleu ciel", "Sky Blue Sea Lion"),
])
def test_french_adjectives_agree_with_the_animal(pid, fr, en):
    assert pseudonyms.label(pid, "fr") == fr
    assert pseudonyms.label(pid, "en") == en


def test_choose_skips_taken_pseudonyms_and_says_when_none_is_left():
    taken = set(pseudonyms.ALL[:-1])
    assert pseudonyms.choose(taken) == pseudonyms.ALL[-1]
    with pytest.raises(LookupError):
        pseudonyms.choose(set(pseudonyms.ALL))


def test_codes_are_unique_among_live_sessions(app, library):
    module = next(m for m in library.audience("fr", "pupils") if m.quiz)
    with app.test_request_context():
        db = get_session()
        made = [sessions.create(db, module, "fr")[0].code for _ in range(300)]
        assert len(set(made)) == 300
        # A code drawn again is drawn once more, never shared.
        draws = iter([made[0], made[1], "CDF479"])
        live, _secret = sessions.create(db, module, "fr", new_code=lambda: next(draws))
        assert live.code == "CDF479"
        # And the database itself refuses a second session with the same code.
        db.add(LiveSession(code="CDF479", lang="fr", audience="pupils", module=module.slug,
                           teacher_digest="0" * 64))
        with pytest.raises(IntegrityError):
            db.commit()
        db.rollback()
        assert db.scalar(select(LiveSession.code).where(LiveSession.code == "CDF479"))


def test_pseudonyms_are_unique_within_a_session(app, library):
    module = next(m for m in library.audience("fr", "pupils") if m.quiz)
    with app.test_request_context():
        db = get_session()
        live, _ = sessions.create(db, module, "fr")
        names = [sessions.join(db, live)[0].pseudonym for _ in range(80)]
        assert len(set(names)) == 80
        # A pseudonym someone else got a moment ago is replaced by another one.
        spare = next(p for p in pseudonyms.ALL if p not in names)
        picks = iter([names[0], spare])
        who, _ = sessions.join(db, live, choose=lambda taken: next(picks))
        assert who.pseudonym == spare


def test_tokens_of_two_participants_never_match(app, library):
    module = next(m for m in library.audience("fr", "pupils") if m.quiz)
    with app.test_request_context():
        db = get_session()
        live, _ = sessions.create(db, module, "fr")
        (one, token_one), (two, token_two) = sessions.join(db, live), sessions.join(db, live)
        assert sessions.participant(db, live, token_one).id == one.id
        assert sessions.participant(db, live, token_two).id == two.id
        assert sessions.participant(db, live, "forged") is None
        assert one.token_digest != token_one
