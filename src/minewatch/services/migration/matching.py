"""How the mapping assistant recognises things: names normalised for comparison, how alike
two names are, and the words programmes use for our kinds, fields and values.

The word lists are matching hints, not labels (labels are the vocabulary's): IMSMA NG's item
types (Hazard, Hazard Reduction, Accident, Victim, MRE/Education, QA/QM, Location), its Land
fields ("Estimated Area"; GICHD, "Land Summary Window", IMSMA Wiki), its enumerations' base
terms (Land status "Active", shown as "Open"; GICHD, "IMSMA and maXML",
http://mwiki.gichd.org/mediawiki/index.php?title=IMSMA_and_maXML&oldid=24335; GICHD,
"MineActionFieldReport", https://mwiki.gichd.org/mediawiki/index.php?title=MineActionFieldReport&oldid=23327),
its staging-area column names (``hazard_localid``, ``status_enum``; GICHD, "Staging Area
Database", https://mwiki.gichd.org/mediawiki/index.php?oldid=23843&title=Staging_Area_Database)
and ArcGIS's editor-tracking fields (``created_date``, ``last_edited_date``, ``CreationDate``,
``EditDate``).

>>> normalise("HazardReduction_ID"), normalise("haz-status"), normalise("Date of Information")
('hazard reduction id', 'haz status', 'date of information')
>>> similarity("Hazard Type", "hazard_types"), round(similarity("haz_stat", "status"), 2)
(1.0, 0.57)
"""

from __future__ import annotations

import difflib
import re
import unicodedata

from minewatch.domain.records import Kind

_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


def normalise(name: str) -> str:
    """Lower case words: camelCase, underscores, hyphens and punctuation split; spaces single.

    >>> normalise("  Anti-Personnel  Mines "), normalise("Fermée"), normalise("Мінне_поле")
    ('anti personnel mines', 'fermee', 'мінне поле')
    """
    spaced = _CAMEL.sub(" ", name.strip())
    bare = "".join(c for c in unicodedata.normalize("NFKD", spaced) if not unicodedata.combining(c))
    return " ".join(re.sub(r"[\W_]+", " ", bare.lower()).split())


def similarity(a: str, b: str) -> float:
    """How alike two names are, 0 to 1, after :func:`normalise`, plurals made singular
    (difflib's ratio).

    >>> similarity("Gender", "gender"), similarity("Statuses", "status")
    (1.0, 1.0)
    """
    x, y = _singular(normalise(a)), _singular(normalise(b))
    if not x or not y:
        return 0.0
    if x == y:
        return 1.0
    return difflib.SequenceMatcher(None, x, y).ratio()


def _singular(text: str) -> str:
    words = []
    for word in text.split():
        if len(word) > 4 and word.endswith("ies"):
            word = word[:-3] + "y"
        elif len(word) > 4 and word.endswith(("ses", "xes")):
            word = word[:-2]
        elif len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
            word = word[:-1]
        words.append(word)
    return " ".join(words)


def best_match(name: str, candidates: dict[str, list[str]]) -> tuple[str | None, float, str]:
    """The candidate key whose words are most like ``name``, its score and the word matched.

    >>> best_match("Casualties", {"victim": ["victim", "casualty"], "accident": ["accident"]})
    ('victim', 1.0, 'casualty')
    """
    best: tuple[str | None, float, str] = (None, 0.0, "")
    text = normalise(name)
    for key, words in candidates.items():
        for word in words:
            score = similarity(text, word)
            wanted = _singular(normalise(word))
            if wanted in _singular(text).split() or (len(wanted) > 3 and wanted in text):
                score = max(score, 0.9)  # the word appears within the name
            if score > best[1]:
                best = (key, round(score, 2), word)
    return best


#: Words that name each kind of record in programmes' tables (IMSMA NG item types, their
#: staging-area tables, IMSMA Core layers, common spreadsheet names).
KIND_WORDS: dict[Kind, list[str]] = {
    Kind.HAZARDOUS_AREA: [
        "hazard",
        "hazardous area",
        "land",
        "minefield",
        "sha",
        "cha",
        "suspected area",
        "confirmed area",
        "contaminated area",
    ],
    Kind.LAND_RELEASE_ACTIVITY: [
        "hazard reduction",
        "hazreduc",
        "activity",
        "clearance",
        "technical survey",
        "non technical survey",
        "survey activity",
    ],
    Kind.RELEASE_PRODUCT: [
        "release",
        "cancelled area",
        "reduced area",
        "cleared area",
        "land release",
    ],
    Kind.DEVICE_FIND: [
        "device",
        "ordnance",
        "finds",
        "eo found",
        "item found",
        "uxo found",
        "explosive item",
    ],
    Kind.ACCIDENT: ["accident", "incident", "mine accident"],
    Kind.VICTIM: ["victim", "casualty", "casualties", "injured person"],
    Kind.RISK_EDUCATION_SESSION: ["education", "mre", "eore", "risk education", "mre activity"],
    Kind.QUALITY_MANAGEMENT_VISIT: [
        "quality",
        "qa",
        "qc",
        "qm",
        "qa activity",
        "inspection",
        "monitoring visit",
    ],
    Kind.LOCATION: [
        "location",
        "gazetteer",
        "village",
        "place",
        "admin",
        "settlement",
        "community",
    ],
    Kind.ORGANISATION: ["organisation", "organization", "operator", "agency", "ngo"],
    Kind.SCATTERABLE_STRIKE: ["strike", "scatterable", "remotely delivered"],
    # IMSMA NG's Tasking tool: Tasks with their Objectives (Land) and work items (GICHD,
    # "Using the Tasking Tool in IMSMANG", http://mwiki.gichd.org/mediawiki/index.php?direction=next&oldid=19406&title=Using_the_Tasking_Tool_in_IMSMANG).
    Kind.TASK_ORDER: ["task", "tasking", "task order", "work order", "tasking order"],
    Kind.ACCREDITATION: [
        "accreditation",
        "organisation accreditation",
        "organization accreditation",
        "organisation certificate",
        "organization certificate",
        "certificate",
        "certification",
        "licence",
    ],
    Kind.VICTIM_ASSISTANCE: ["victim assistance", "assistance", "va", "survivor assistance"],
}

#: Records programmes keep that have no kind here (yet), by the kind's would-be value: a
#: table named so is skipped with that reason rather than taken for a kind it only resembles.
#: Should the kind exist, it is used (IMSMA NG's Victim Assistance items, once kindless, are
#: now victim_assistance, not victims).
KINDLESS_WORDS: dict[str, list[str]] = {}

#: Words that name our fields in programmes' columns, beyond the field's own name.
FIELD_WORDS: dict[str, list[str]] = {
    "name": [
        "name",
        "hazard name",
        "title",
        "local name",
        "location name",
        "org name",
        "organisation name",
        "organization name",
    ],
    "classification": ["classification", "hazard class", "area type", "sha cha", "type of area"],
    "status": ["status", "state", "status enum", "hazard status"],
    "hazard_types": ["hazard type", "contamination", "type of contamination", "haz type", "threat"],
    "reported_area_m2": [
        "area",
        "area sqm",
        "area m2",
        "size m2",
        "reported area",
        "area sq m",
        "estimated area",
    ],
    "description": ["description", "narrative", "remarks", "comments", "notes", "details"],
    "accident_date": ["accident date", "date of accident", "acc date", "incident date"],
    "during_demining": ["demining", "during demining", "demining accident"],
    "device_category": ["device", "device type", "ordnance type", "cause"],
    "sex": ["sex", "gender"],
    "age": ["age", "age years"],
    "outcome": ["outcome", "result", "killed injured", "injury status"],
    "victim_type": ["victim type", "category", "civilian military"],
    "activity_at_time": ["activity at time", "activity during accident", "doing"],
    "activity_type": ["activity type", "type of activity", "hazard reduction type"],
    "method": ["method", "clearance method"],
    "start_date": ["start date", "start", "date started"],
    "end_date": ["end date", "end", "date completed", "completion date"],
    "session_date": ["session date", "education date", "date of session", "activity date"],
    "visit_date": ["visit date", "date of visit", "qa date", "inspection date"],
    "visit_type": ["visit type", "qa type", "qm type"],
    "found_date": ["found date", "date found"],
    "quantity": ["quantity", "qty", "number", "count"],
    "category": ["category", "ordnance category", "eo category"],
    "pcode": ["pcode", "p code", "admin pcode"],
    "level": ["level", "admin level"],
    "acronym": ["acronym", "abbreviation", "short name"],
    "release_date": ["release date", "date released"],
    "product_type": ["product type", "release type"],
    # task orders
    "issue_date": ["issue date", "date issued", "task date", "tasking date", "issued"],
    "due_date": ["due date", "deadline", "target date", "planned end date"],
    "priority_rank": ["priority", "priority rank", "rank"],
    "priority_score": ["priority score", "score"],
    "status_date": ["status date", "status changed"],
    # accreditations
    "valid_from": ["valid from", "accreditation date", "date of accreditation", "accredited on"],
    "valid_until": ["valid until", "valid to", "expiry date", "expiry", "expires", "expiration"],
    "certificate_reference": [
        "certificate",
        "certificate number",
        "certificate no",
        "accreditation number",
        "licence number",
    ],
    "methods": ["methods", "accredited methods", "capabilities", "accredited for"],
    "asset_types": ["assets", "asset types", "accredited assets"],
    # victim assistance
    "follow_up_status": ["follow up status", "follow up", "case status"],
    "last_contact_date": ["last contact", "last follow up", "date of last contact"],
    "next_follow_up_date": ["next follow up", "next contact"],
}

#: Columns that carry each report's Date of Information, and the source's own edit times.
DOI_WORDS = ["date of information", "doi", "date information", "info date", "report date"]
CREATED_WORDS = ["created date", "creation date", "created", "date created"]
EDITED_WORDS = [
    "last edited date",
    "edit date",
    "edited",
    "last edited",
    "modified",
    "last modified",
]
X_WORDS = ["x", "lon", "long", "longitude", "easting", "gps longitude"]
Y_WORDS = ["y", "lat", "latitude", "northing", "gps latitude"]

#: Words programmes use for our enum values, beyond the value's own words.
VALUE_WORDS: dict[str, list[str]] = {
    "ap_mines": ["anti personnel mines", "apm", "ap mine", "anti personnel"],
    "av_mines": ["anti vehicle mines", "anti tank mines", "atm", "avm", "at mine", "anti tank"],
    "uxo_axo": ["uxo", "axo", "uxo axo", "unexploded ordnance", "erw"],
    "cluster_munition_remnants": ["cluster munitions", "cmr", "submunitions", "bomblets"],
    "improvised_devices": ["ied", "improvised explosive device", "improvised"],
    "ap_mine": ["anti personnel mine", "apm", "ap"],
    "av_mine": ["anti vehicle mine", "anti tank mine", "atm", "at"],
    "ied": ["improvised explosive device"],
    "submunition": ["cluster", "bomblet", "submunitions"],
    "killed": ["dead", "died", "fatal", "fatality", "k"],
    "injured": ["wounded", "injury", "hurt", "i"],
    "female": ["f", "woman", "girl", "w"],
    "male": ["m", "man", "boy"],
    "unknown": ["u", "not known", "n a"],
    "open": ["active", "1 open"],
    "closed": ["complete", "completed"],
    "released": ["cleared", "cancelled"],
    "suspended": ["on hold", "paused"],
    "non_technical_survey": ["nts", "non technical survey", "ntsurvey"],
    "technical_survey": ["ts", "technical survey"],
    "clearance": ["manual clearance", "battle area clearance", "bac"],
    "eod_spot_task": ["eod", "spot task", "eod spot"],
    "civilian": ["civil"],
    "deminer": ["demining staff", "deminer"],
    "military": ["soldier", "army"],
    "in_progress": ["ongoing", "started", "in progress", "under way", "work in progress"],
    "accepted": ["acknowledged", "assigned"],
    "issued": ["planned", "new task"],
    "cancelled": ["canceled"],
    "granted": ["valid", "current", "accredited"],
    "animal_detection": ["mdd", "mine detection dogs", "dogs", "rats", "animal"],
    "mechanical": ["machine", "mechanical demining"],
    "manual": ["manual demining"],
    "eod": ["explosive ordnance disposal", "eod"],
    "SHA": ["suspected hazardous area", "suspected"],
    "CHA": ["confirmed hazardous area", "confirmed"],
}

#: Yes/no words for boolean fields.
TRUE_WORDS = {"yes", "y", "true", "t", "1", "oui", "si", "da"}
FALSE_WORDS = {"no", "n", "false", "f", "0", "non"}
