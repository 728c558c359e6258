"""One search index per language of the site, made from the one the i18n plugin writes.

mkdocs-static-i18n builds every language into one site and writes one search index at its
root holding every language's pages, with a word trimmer for the languages lunr knows
that strips every letter outside the Latin alphabet: Persian and Ukrainian words were
never found, and English searches listed Estonian pages. `split` makes each language an
index of its own pages, at `<language>/search/search_index.json` (the default language's
at the root), addressed from that language's root, with no trimmer that drops letters;
each page's search then loads its own language's index (`build.on_post_page` points it
there).
"""

# The languages whose words lunr's own filters (stop words) know; any other is indexed
# with the English ones, which remove only English words, and no trimmer or stemmer (the
# site's search pipeline keeps the stop word filter alone).
LUNR_LANGUAGES = ("en", "it", "ru", "de", "fr", "es", "pt", "nl")


def split(index: dict[str, object], languages: list[str], default: str) -> dict[str, object]:
    """{folder: index}: the default language's pages at "" (the root), each other
    language's at its code; every location made relative to that language's root."""
    docs = index.get("docs")
    config = index.get("config")
    if not isinstance(docs, list) or not isinstance(config, dict):
        raise ValueError("the search index has no docs and config")
    others = [code for code in languages if code != default]
    found: dict[str, object] = {}
    for code in languages:
        prefix = "" if code == default else f"{code}/"
        mine = [
            {**doc, "location": doc["location"][len(prefix) :]}
            for doc in docs
            if _language_of(str(doc["location"]), others, default) == code
        ]
        lang = [code if code in LUNR_LANGUAGES else "en"]
        found["" if code == default else code] = {"config": {**config, "lang": lang}, "docs": mine}
    return found


def _language_of(location: str, others: list[str], default: str) -> str:
    first = location.split("/", 1)[0]
    return first if first in others and "/" in location else default
