"""Names of the council's languages, for staff pages, history and the hub's view of a request."""

from django.conf.locale import LANG_INFO


def english_name(code: str, default: str = "") -> str:
    """A language's name in English ("Persian" for "fa"); `default` for one Django does not know
    (a modeltrans field suffix such as "pt_br" is read as "pt-br")."""
    return LANG_INFO.get(code.replace("_", "-"), {}).get("name", default)
