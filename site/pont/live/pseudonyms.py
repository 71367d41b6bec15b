"""Generated pseudonyms: a colour and an animal, in the language of each page.

The database keeps a language-free id ("blue-fox"); each page shows it in its own language
("Blue Fox", "Renard bleu"). The lists leave out words that pupils use to mock each other
(animals said of someone's body or slowness, colours said of someone's skin) and any word
that reads as vulgar in the other language.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Collection

# id: (English, French masculine, French feminine)
COLOURS: dict[str, tuple[str, str, str]] = {
    "blue": ("Blue", "bleu", "bleue"),
    "green": ("Green", "vert", "verte"),
    "orange": ("Orange", "orange", "orange"),
    "purple": ("Purple", "violet", "violette"),
    "turquoise": ("Turquoise", "turquoise", "turquoise"),
    "golden": ("Golden", "doré", "dorée"),
    "silver": ("Silver", "argenté", "argentée"),
    "coral": ("Coral", "corail", "corail"),
    "indigo": ("Indigo", "indigo", "indigo"),
    "emerald": ("Emerald", "émeraude", "émeraude"),
    "lilac": ("Lilac", "lilas", "lilas"),
    "amber": ("Amber", "ambré", "ambrée"),
    "copper": ("Copper", "cuivré", "cuivrée"),
    "sapphire": ("Sapphire", "saphir", "saphir"),
    "mint": ("Mint", "vert menthe", "vert menthe"),
    "sky": ("Sky Blue", "bleu ciel", "bleu ciel"),
    "pink": ("Pink", "rose", "rose"),
    "ruby": ("Ruby", "rubis", "rubis"),
}

# id: (English, French, grammatical gender of the French word)
ANIMALS: dict[str, tuple[str, str, str]] = {
    "fox": ("Fox", "renard", "m"),
    "otter": ("Otter", "loutre", "f"),
    "hedgehog": ("Hedgehog", "hérisson", "m"),
    "owl": ("Owl", "chouette", "f"),
    "dolphin": ("Dolphin", "dauphin", "m"),
    "panda": ("Panda", "panda", "m"),
    "koala": ("Koala", "koala", "m"),
    "bee": ("Bee", "abeille", "f"),
    "lynx": ("Lynx", "lynx", "m"),
    "gull": ("Seagull", "mouette", "f"),
    "squirrel": ("Squirrel", "écureuil", "m"),
    "gazelle": ("Gazelle", "gazelle", "f"),
    "penguin": ("Penguin", "pingouin", "m"),
    "hummingbird": ("Hummingbird", "colibri", "m"),
    "heron": ("Heron", "héron", "m"),
    "dragonfly": ("Dragonfly", "libellule", "f"),
    "lion": ("Lion", "lion", "m"),
    "ladybird": ("Ladybird", "coccinelle", "f"),
    "tiger": ("Tiger", "tigre", "m"),
    "marmot": ("Marmot", "marmotte", "f"),
    "falcon": ("Falcon", "faucon", "m"),
    "salamander": ("Salamander", "salamandre", "f"),
    "zebra": ("Zebra", "zèbre", "m"),
    "starfish": ("Starfish", "étoile de mer", "f"),
    "flamingo": ("Flamingo", "flamant", "m"),
    "wolf": ("Wolf", "loup", "m"),
    "swallow": ("Swallow", "hirondelle", "f"),
    "kangaroo": ("Kangaroo", "kangourou", "m"),
    "pelican": ("Pelican", "pélican", "m"),
    "bear": ("Bear", "ours", "m"),
    "stork": ("Stork", "cigogne", "f"),
    "antelope": ("Antelope", "antilope", "f"),
    "llama": ("Llama", "lama", "m"),
    "butterfly": ("Butterfly", "papillon", "m"),
    "panther": ("Panther", "panthère", "f"),
    "sealion": ("Sea Lion", "otarie", "f"),
    "bison": ("Bison", "bison", "m"),
    "eagle": ("Eagle", "aigle", "m"),
    "orca": ("Orca", "orque", "f"),
    "firefly": ("Firefly", "luciole", "f"),
    "seahorse": ("Seahorse", "hippocampe", "m"),
    "cheetah": ("Cheetah", "guépard", "m"),
    "hare": ("Hare", "lièvre", "m"),
    "jellyfish": ("Jellyfish", "méduse", "f"),
    "puffin": ("Puffin", "macareux", "m"),
}

ALL: tuple[str, ...] = tuple(f"{c}-{a}" for c in COLOURS for a in ANIMALS)


def choose(taken: Collection[str], choice: Callable[[list[str]], str] = secrets.choice) -> str:
    """A pseudonym id nobody in the session has yet; LookupError when all are taken."""
    free = [pid for pid in ALL if pid not in taken]
    if not free:
        raise LookupError("every pseudonym is taken")
    return choice(free)


def label(pseudonym_id: str, lang: str) -> str:
    colour_id, _, animal_id = pseudonym_id.partition("-")
    colour, animal = COLOURS.get(colour_id), ANIMALS.get(animal_id)
    if colour is None or animal is None:
        return pseudonym_id
    if lang == "fr":
        french, gender = animal[1], animal[2]
        adjective = colour[1] if gender == "m" else colour[2]
        return f"{french[0].upper()}{french[1:]} {adjective}"
    return f"{colour[0]} {animal[0]}"
