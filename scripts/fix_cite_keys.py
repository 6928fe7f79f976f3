"""Map short citation keys used while drafting to the digest's keys in book/references.bib."""
import re, sys
from pathlib import Path
MAP = {"xie2022": "r29_xie2022", "allen1975": "r38_allen1975", "mcmillan1968": "r37_mcmillan1968",
       "stanev2018": "r39_stanev2018", "zhang2022": "r30_zhang2022", "bartok2013": "r47_bartok2013",
       "pedregosa2011": "r50_pedregosa2011"}
pat = re.compile(r"(?<![\w.])(" + "|".join(MAP) + r")(?![\w])")
for f in sys.argv[1:]:
    p = Path(f); s = p.read_text()
    if p.suffix == ".csv":
        # only the source column: ",key," after the section column
        lines = s.splitlines(keepends=True)
        import csv, io
        rows = list(csv.reader(io.StringIO(s)))
        i = rows[0].index("source")
        for r in rows[1:]:
            r[i] = MAP.get(r[i], r[i])
        out = io.StringIO(); csv.writer(out, lineterminator="\n").writerows(rows); p.write_text(out.getvalue())
    else:
        s2 = re.sub(r"(\{cite[^}]*\}`)([^`]*)(`)", lambda m: m.group(1) + ",".join(MAP.get(k.strip(), k.strip()) for k in m.group(2).split(",")) + m.group(3), s)
        p.write_text(s2)
