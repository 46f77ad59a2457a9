"""Turning what a parent types into a PostgreSQL full-text query.

Parents type "help with teenager" or "brestfeeding": the query keeps the words that carry
meaning, widens each with the synonyms parents and services use for the same thing, and all
groups must match (AND). When that finds nothing, the caller may retry with any group matching
(OR), still ranked so services matching more words come first.
"""

import re
import unicodedata

from django.contrib.postgres.search import SearchQuery

MAX_WORDS = 8

# Each set is one idea said different ways. Matching is on stemmed words, so plurals are covered.
SYNONYMS: list[set[str]] = [
    {"breastfeeding", "breast feeding", "infant feeding", "bottle feeding"},
    {"autism", "autistic", "asd"},
    {"toddler", "early years", "preschool", "under 5s", "nursery"},
    {"teenager", "teen", "youth", "young people", "adolescent"},
    {"counselling", "counseling", "mental health", "wellbeing", "emotional"},
    {"pregnancy", "pregnant", "antenatal", "maternity", "midwife", "midwifery"},
    {"money", "debt", "benefits", "welfare", "financial"},
    {"send", "special needs", "disability", "disabled", "sen"},
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


def tidy(text: str) -> str:
    """Lower case, accents removed, only letters, digits and spaces; at most MAX_WORDS words."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    return " ".join(re.findall(r"[a-z0-9]+", text)[:MAX_WORDS])


def _groups(text: str) -> list[set[str]]:
    """Split the query into groups of alternatives: synonym phrases first, then single words."""
    words = text.split()
    groups: list[set[str]] = []
    used = [False] * len(words)
    for synonyms in SYNONYMS:
        for phrase in sorted(synonyms, key=lambda p: -len(p.split())):
            size = len(phrase.split())
            for start in range(len(words) - size + 1):
                if any(used[start : start + size]):
                    continue
                if " ".join(words[start : start + size]) == phrase:
                    groups.append(set(synonyms))
                    used[start : start + size] = [True] * size
    leftovers = [w for w, u in zip(words, used, strict=True) if not u]
    meaningful = [w for w in leftovers if w not in GENERIC]
    groups.extend({w} for w in (meaningful or (leftovers if not groups else [])))
    return groups


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
