"""A child's ethnicity, recorded with the DfE's main ethnicity codes, as schools do.

Using the school census codes means a record can be matched with what the child's school sends
the DfE, and reported to the board in the same groups. Only the main codes are offered: the
extended codes (WENG, WEEU and so on) each roll up into one of these, so a local list can be
added later without changing any stored value.
"""

ETHNICITY_SOURCE = (
    "DfE, 'Complete the school census' guidance, 'Find a school census code' (the ethnicity "
    "table: DfE extended code, approved extended category, DfE main code, sub-category, main "
    "category), https://www.gov.uk/guidance/complete-the-school-census, and the same table in "
    "the alternative provision census codes, "
    "https://www.gov.uk/guidance/alternative-provision-ap-census/codes. Read through stored "
    "copies of those pages, which showed the White rows (the September 2024 school census "
    "copy labels WIRT 'Irish Traveller', the AP census page 'Traveller of Irish heritage'), "
    "and the DfE's 'Ethnicity codes - DfE approved' list for the Mixed rows. The Asian, "
    "Black, Chinese, other, refused and not obtained rows were checked only against public "
    "code listing the same 20 main codes: confirm their labels on the DfE page."
)

# Group names are for reporting and for the select's option groups: the census's main
# categories, in short form.
WHITE = "White"
MIXED = "Mixed"
ASIAN = "Asian or Asian British"
BLACK = "Black or Black British"
CHINESE = "Chinese"
OTHER = "Any other ethnic group"
REFUSED = "Refused"
NOT_OBTAINED = "Not obtained"

# (code, label, group), in the census's order.
_ETHNICITIES: list[tuple[str, str, str]] = [
    ("WBRI", "White - British", WHITE),
    ("WIRI", "White - Irish", WHITE),
    ("WIRT", "Traveller of Irish heritage", WHITE),
    ("WOTH", "Any other White background", WHITE),
    ("WROM", "Gypsy / Roma", WHITE),
    ("MWBC", "White and Black Caribbean", MIXED),
    ("MWBA", "White and Black African", MIXED),
    ("MWAS", "White and Asian", MIXED),
    ("MOTH", "Any other mixed background", MIXED),
    ("AIND", "Indian", ASIAN),
    ("APKN", "Pakistani", ASIAN),
    ("ABAN", "Bangladeshi", ASIAN),
    ("AOTH", "Any other Asian background", ASIAN),
    ("BCRB", "Black Caribbean", BLACK),
    ("BAFR", "Black African", BLACK),
    ("BOTH", "Any other Black background", BLACK),
    ("CHNE", "Chinese", CHINESE),
    ("OOTH", "Any other ethnic group", OTHER),
    ("REFU", "Refused", REFUSED),
    ("NOBT", "Information not yet obtained", NOT_OBTAINED),
]

ETHNICITY_CHOICES: list[tuple[str, str]] = [(code, label) for code, label, _ in _ETHNICITIES]

GROUP_OF: dict[str, str] = {code: group for code, _, group in _ETHNICITIES}


def grouped_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """The choices as Django option groups, [(group, [(code, label), ...]), ...], in order.

    A new list each call, so a form that changes its copy cannot change another form's.
    """
    groups: dict[str, list[tuple[str, str]]] = {}
    for code, label, group in _ETHNICITIES:
        groups.setdefault(group, []).append((code, label))
    return list(groups.items())
