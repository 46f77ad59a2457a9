"""Turning what a parent types into a PostgreSQL full-text query.

Parents type "help with teenager" or "brestfeeding": the query keeps the words that carry
meaning, widens each with the synonyms parents and services use for the same thing, and all
groups must match (AND). When that finds nothing, the caller may retry with any group matching
(OR), still ranked so services matching more words come first.
"""

import re
import unicodedata
from functools import lru_cache

from django.conf import settings
from django.contrib.postgres.search import SearchQuery
from django.db.models import Func, TextField, Value
from django.utils.translation import get_language

MAX_WORDS = 8

# Each set is one idea said different ways. Matching is on stemmed words, so plurals are covered.
SYNONYMS: list[set[str]] = [
    {"breastfeeding", "breast feeding", "infant feeding", "bottle feeding"},
    {
        "autism",
        "autistic",
        "asd",
        "send",
        "special needs",
        "special educational needs",
        "disability",
        "disabled",
        "sen",
        "adhd",
    },
    {"toddler", "early years", "preschool", "under 5s", "nursery"},
    {"teenager", "teen", "youth", "young people", "adolescent"},
    {
        "counselling",
        "counseling",
        "mental health",
        "wellbeing",
        "emotional",
        "anxiety",
        "depression",
        "low mood",
        "stress",
        "postnatal depression",
        "perinatal",
    },
    {"pregnancy", "pregnant", "antenatal", "maternity", "midwife", "midwifery"},
    {"money", "debt", "benefits", "welfare", "financial"},
    {"childcare", "child care", "early education", "nursery place"},
    {"food bank", "foodbank", "food", "food vouchers"},
    {"library", "libraries", "books"},
    {"behaviour", "behavior", "tantrums"},
    {"dad", "father", "fathers"},
    {"mum", "mother", "mom"},
]

# Words that say "I want something" rather than what: dropped from the AND so that "help with
# my teenager" means "teenager". If nothing else is left they are kept.
GENERIC = {
    "help", "helps", "support", "service", "services", "need", "needs", "find", "get", "local",
    "near", "nearby", "me", "my", "our", "child", "children", "kid", "kids", "family", "families",
    "for", "with", "and", "the", "a", "an", "in", "of", "to", "i", "we",
}  # fmt: skip


@lru_cache(maxsize=1024)
def tidy(text: str) -> str:
    """Lower case, accents removed, only letters, digits and spaces; at most MAX_WORDS words.
    (Kept for the texts searched most: a search tidies its words several times.)"""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    return " ".join(re.findall(r"[a-z0-9]+", text)[:MAX_WORDS])


def _singular(word: str) -> str:
    """'teenagers' -> 'teenager', so synonyms match plurals too (PostgreSQL stems the rest)."""
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def _singular_phrase(phrase: str) -> str:
    return " ".join(_singular(word) for word in phrase.split())


@lru_cache(maxsize=1024)
def _groups(text: str) -> tuple[frozenset[str], ...]:
    """Split the query into groups of alternatives: synonym phrases first, then single words.
    (Kept for the texts searched most: it compares every synonym with the words, #18.)"""
    words = [_singular(word) for word in text.split()]
    groups: list[frozenset[str]] = []
    used = [False] * len(words)
    for synonyms in SYNONYMS:
        for phrase in sorted(synonyms, key=lambda p: -len(p.split())):
            size = len(phrase.split())
            for start in range(len(words) - size + 1):
                if any(used[start : start + size]):
                    continue
                if " ".join(words[start : start + size]) == _singular_phrase(phrase):
                    groups.append(frozenset(synonyms))
                    used[start : start + size] = [True] * size
    leftovers = [w for w, u in zip(words, used, strict=True) if not u]
    meaningful = [w for w in leftovers if w not in GENERIC]
    groups.extend(frozenset({w}) for w in (meaningful or (leftovers if not groups else [])))
    return tuple(groups)


def _phrase(text: str) -> SearchQuery:
    return SearchQuery(text, search_type="phrase", config="english")


def build_queries(text: str) -> tuple[SearchQuery | None, SearchQuery | None]:
    """The strict (every group) and loose (any group) queries for what was typed."""
    groups = _groups(tidy(text))
    if not groups:
        return None, None
    alternatives = []
    for group in groups:
        query = None
        for phrase in sorted(group):
            query = _phrase(phrase) if query is None else query | _phrase(phrase)
        alternatives.append(query)
    strict = loose = alternatives[0]
    for query in alternatives[1:]:
        strict = strict & query
        loose = loose | query
    return strict, loose


def corrected(text: str) -> str | None:
    """`text` with misspelt words replaced by the closest word services use, or None.

    Looks every word of four letters or more up in the directory's own vocabulary
    (directory_searchword, kept by a trigger) by trigram similarity, in one query.
    """
    from directory.models import Service
    from earlyhelp.replicas import connection_for_reading

    words = tidy(text).split()
    checkable = [w for w in words if len(w) >= 4 and w not in GENERIC]
    if not checkable:
        return None
    # The replica's, for a public search (earlyhelp/replicas.py).
    with connection_for_reading(Service).cursor() as cursor:
        cursor.execute(
            "SELECT typed.word, (SELECT known.word FROM directory_searchword known "
            "WHERE known.word %% typed.word "
            "ORDER BY known.word = typed.word DESC, similarity(known.word, typed.word) DESC, "
            "known.word LIMIT 1) FROM unnest(%s::text[]) AS typed(word)",
            [checkable],
        )
        fixes = {typed: known for typed, known in cursor.fetchall() if known and known != typed}
    if not fixes:
        return None
    return " ".join(fixes.get(word, word) for word in words)


def translated_queries(text: str) -> tuple[SearchQuery | None, SearchQuery | None]:
    """On a page in another language than English: the words as typed, in any script, searched
    in that language's text search configuration (settings.SEARCH_CONFIGURATIONS, "simple" where
    PostgreSQL has none), accents removed as the database removes them from the translated
    listings (migration 0011). Every word (strict) and any word (loose); (None, None) in English
    or without words."""
    config = settings.SEARCH_CONFIGURATIONS.get(get_language())
    words = re.findall(r"\w+", text.lower())[:MAX_WORDS]
    if config is None or not words:
        return None, None

    def query(value: str, search_type: str) -> SearchQuery:
        unaccented = Func(Value(value), function="unaccent", output_field=TextField())
        return SearchQuery(unaccented, config=config, search_type=search_type)

    return query(" ".join(words), "plain"), query(" or ".join(words), "websearch")


def literal_query(text: str) -> SearchQuery | None:
    """Any of the words as typed, without synonyms: ranks exact matches above synonym matches."""
    words = [w for w in tidy(text).split() if w not in GENERIC] or tidy(text).split()
    query = None
    for word in words:
        query = _phrase(word) if query is None else query | _phrase(word)
    return query
