"""CAMEO event codes and the PLOVER categories they fall in.

PLOVER is the successor of CAMEO that POLECAT codes with. The table follows the Open Event Data
Alliance's crosswalk `CAMEO2PLOVER-2021.txt` (https://github.com/openeventdata/PLOVER, file
`CAMEO2PLOVER-2021.txt`): a CAMEO root maps to one category, and a few codes leave their root's
category (163 sanctions are COERCE, 1712 destroying property is ASSAULT, 191/192 blockade and
occupation are COERCE, 175 violent repression is ASSAULT, 084-087 returns and de-escalation are
RETREAT). Two choices of ours, where the crosswalk names no PLOVER category:

- 02 (appeal) and 10 (demand) are REQUEST, PLOVER's category for appeals and demands (the
  crosswalk's own label for 10, DEMAND, is not one of PLOVER's sixteen categories);
- 01 (public statements) has none: PLOVER does not code statements, so their `plover` is None.
"""

from __future__ import annotations

import re

PLOVER_BY_ROOT: dict[str, str | None] = {
    "01": None,
    "02": "REQUEST",
    "03": "AGREE",
    "04": "CONSULT",
    "05": "SUPPORT",
    "06": "COOPERATE",
    "07": "AID",
    "08": "CONCEDE",
    "09": "ACCUSE",  # crosswalk: ACCUSE, mode "investigate"
    "10": "REQUEST",
    "11": "ACCUSE",
    "12": "REJECT",
    "13": "THREATEN",
    "14": "PROTEST",
    "15": "MOBILIZE",
    "16": "SANCTION",
    "17": "COERCE",
    "18": "ASSAULT",
    "19": "ASSAULT",
    "20": "ASSAULT",
}

# Codes that leave their root's category (the longest matching prefix wins).
PLOVER_BY_CODE: dict[str, str] = {
    "084": "RETREAT",
    "085": "RETREAT",
    "086": "RETREAT",
    "087": "RETREAT",
    "163": "COERCE",
    "1712": "ASSAULT",
    "175": "ASSAULT",
    "191": "COERCE",
    "192": "COERCE",
}

PLOVER_CATEGORIES = frozenset(v for v in (*PLOVER_BY_ROOT.values(), *PLOVER_BY_CODE.values()) if v)
CAMEO_RE = re.compile(r"[0-2][0-9]{1,3}")


def plover(cameo: str | None) -> str | None:
    """The PLOVER category of a CAMEO code ('190' -> 'ASSAULT'); None for statements and no code."""
    if not cameo or not CAMEO_RE.fullmatch(cameo):
        return None
    for n in range(len(cameo), 2, -1):
        if cameo[:n] in PLOVER_BY_CODE:
            return PLOVER_BY_CODE[cameo[:n]]
    return PLOVER_BY_ROOT.get(cameo[:2])
