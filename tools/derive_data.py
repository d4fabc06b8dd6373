#!/usr/bin/env python3
"""Derives the data files shipped in data/ from the public sources (see data/README.md).

Run once by a maintainer with the source folder as the argument; the repository keeps the
output, so neither the build nor the tests need the sources. Pure joins and reshapes:
no value is invented.
"""
import csv, json, os, shutil, sys

src = sys.argv[1] if len(sys.argv) > 1 else "../shared/data"
out = os.path.join(os.path.dirname(__file__), "..", "data")

def ring_area_centroid(ring):
    a = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1]):
        c = x0 * y1 - x1 * y0
        a += c; cx += (x0 + x1) * c; cy += (y0 + y1) * c
    if a == 0:
        return 0.0, ring[0][0], ring[0][1]
    return a / 2, cx / (3 * a), cy / (3 * a)

def largest_polygon_centroid(geom):
    polys = geom["coordinates"] if geom["type"] == "MultiPolygon" else [geom["coordinates"]]
    best = max((ring_area_centroid(p[0]) for p in polys), key=lambda t: abs(t[0]))
    return best[2], best[1]  # lat, lon

# Netherlands: gemeenten with province and the centroid of their largest polygon.
os.makedirs(f"{out}/nl", exist_ok=True)
geo = json.load(open(f"{src}/nl/gemeenten_2024.geojson"))
cent = {f["properties"]["gemeenteCode"]: largest_polygon_centroid(f["geometry"]) for f in geo["features"]}
with open(f"{src}/nl/gemeente_veiligheidsregio_provincie.csv") as f, open(f"{out}/nl/gemeenten.csv", "w", newline="") as g:
    w = csv.writer(g)
    w.writerow(["gemeentecode", "gemeentenaam", "provinciecode", "provincie", "lat", "lon"])
    for r in csv.DictReader(f, delimiter=";"):
        lat, lon = cent[r["gemeentCode"]]
        w.writerow([r["gemeentCode"], r["gemeenteNaam"], r["provincieCode"], r["Provincie"], f"{lat:.5f}", f"{lon:.5f}"])
for name, target in [("basisscholen_2025_met_coordinaten.csv", "basisscholen.csv"), ("besturen_bo_2025_afgeleid.csv", "besturen.csv")]:
    shutil.copy(f"{src}/nl/{name}", f"{out}/nl/{target}")

# Norway: municipalities and the Follo / Romerike regional councils, as published.
os.makedirs(f"{out}/no", exist_ok=True)
for name in ["kommuner_2024.csv", "regioner_follo_romerike.csv"]:
    shutil.copy(f"{src}/no/{name}", f"{out}/no/{name}")

# Norway: the grunnskoler of the Follo / Romerike kommuner, from the Udir national-test
# export's school rows (EnhetNivaa 4) in its latest school year. Grades follow from the
# tests a school took (5th grade: 1-7, 8th: 8-10, both: 1-10). Ownership is not in the
# export: a name marking a company (AS), foundation (Sti, stiftelse), friskole, Steiner or
# Montessori school (and the two named chains) is "privat", every other "offentlig".
# Coordinates: the Nominatim geocoding of the same school name in the same kommune, when
# there is one (the importer places the rest at their kommune's centroid).
import re
kommuner = {r["kommunenummer_2024"] for r in csv.DictReader(open(f"{src}/no/regioner_follo_romerike.csv"))}
tests = list(csv.DictReader(open(f"{src}/no/udir_nasjonale_prover_long.csv")))
latest = max(r["skoleaar"] for r in tests)
schools = {}
for r in tests:
    if r["enhetnivaa"] == "4" and r["skoleaar"] == latest and r["kommunekode"] in kommuner:
        schools.setdefault(r["organisasjonsnummer"], (r, set()))[1].add(r["trinn"])
coords = {}
with open(f"{src}/no/udir_skoler_koordinater_nominatim.csv") as f:
    for name, kommune, lat, lng in list(csv.reader(f, delimiter=";"))[1:]:
        coords.setdefault((name.strip().lower(), kommune.strip().lower()), (lat, lng))
private = re.compile(r"\bAS\b|\bSti\b|stiftelse|friskole|steiner|montessori|"
                     r"hans nielsen hauges|wang |akademiet|sjøskole", re.I)
with open(f"{out}/no/skoler_follo_romerike.csv", "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["organisasjonsnummer", "skolenavn", "kommunenummer", "trinn", "eierform", "lat", "lon"])
    for orgnr, (r, grades) in sorted(schools.items(), key=lambda x: (x[1][0]["kommunekode"], x[1][0]["enhet"])):
        name = r["enhet"].strip().removeprefix(f"{r['kommune']} kommune - ")
        trinn = "1-10" if len(grades) == 2 else {"5": "1-7", "8": "8-10"}[grades.pop()]
        lat, lon = coords.get((name.lower(), r["kommune"].strip().lower()), ("", ""))
        w.writerow([orgnr, name, r["kommunekode"], trinn,
                    "privat" if private.search(name) else "offentlig", lat, lon])

# Slovenia: the GURS registers of municipalities (OB) and statistical regions (SR), plus
# each municipality's statistical region (SURS classification) keyed by GURS ids.
os.makedirs(f"{out}/si", exist_ok=True)
sr = {r["SR_UIME"]: r["SR_ID"] for r in csv.DictReader(open(f"{src}/si/gurs_SR.csv"))}
with open(f"{out}/si/obcine_regije.csv", "w", newline="") as g:
    w = csv.writer(g)
    w.writerow(["OB_ID", "SR_ID"])
    for r in csv.DictReader(open(f"{src}/si/obcine.csv")):
        w.writerow([r["ob_id_gurs"], sr[r["regija"]]])
for name in ["gurs_OB.csv", "gurs_SR.csv"]:
    shutil.copy(f"{src}/si/{name}", f"{out}/si/{name}")

# Country outlines (Natural Earth, public domain).
os.makedirs(f"{out}/world", exist_ok=True)
for c in ["netherlands", "norway", "slovenia"]:
    shutil.copy(f"{src}/../data/world/{c}_outline_ne50m.geojson", f"{out}/world/{c}.geojson")

# Norway: indicators. Udir's national tests in long form (every level), without the
# uncertainty column and without names a row's codes already give (a school row's fylke
# and kommune, a county's or municipality's "Alle skoler"); FHI's school indicators for
# Telemark as they are.
cols = ["skoleaar", "trinn", "enhetnivaa", "fylkekode", "kommunekode", "organisasjonsnummer",
        "fylke", "kommune", "enhet", "fag", "skalapoeng", "antall_elever"]
with open(f"{out}/no/nasjonale_prover.csv", "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(cols)
    for r in csv.DictReader(open(f"{src}/no/udir_nasjonale_prover_long.csv", encoding="utf-8")):
        if r["enhetnivaa"] == "4":
            r["fylke"] = r["kommune"] = ""
        else:
            r["enhet"] = ""
        w.writerow([r[c] for c in cols])
shutil.copy(f"{src}/no/fhi_telemark_skoleindikatorer_long.csv",
            f"{out}/no/fhi_telemark_skoleindikatorer.csv")
