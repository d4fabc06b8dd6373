#!/usr/bin/env python3
"""Reads a Headway certificate of attendance as a real reader would: the coordinator marks
the demo leader present at her regional group's session, she downloads her certificate in
Slovenian, `pdftotext` (poppler-utils) extracts its text (her name, the event, the heading,
the code and the verification link), `pdffonts` shows the font embedded, the link confirms
the certificate and a forged code is refused. Usage: pdf_check.py BASE_URL"""
import http.cookiejar
import json
import re
import subprocess
import sys
import tempfile
import urllib.error
import urllib.parse
import urllib.request

BASE = sys.argv[1].rstrip("/")


def session():
    jar = http.cookiejar.CookieJar()
    return urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))


def fetch(opener, path_or_url):
    url = path_or_url if path_or_url.startswith("http") else BASE + path_or_url
    try:
        with opener.open(url) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def text(opener, path):
    status, body = fetch(opener, path)
    assert status == 200, (path, status)
    return body.decode()


def csrf(html):
    return re.search(r'name="_csrf" value="([0-9a-f]+)"', html).group(1)


def login(user):
    s = session()
    token = csrf(text(s, "/login"))
    body = urllib.parse.urlencode(
        {"username": user, "password": "headway-demo", "_csrf": token}).encode()
    s.open(urllib.request.Request(BASE + "/login", data=body, method="POST"))
    return s


anon = session()
listed = json.loads(text(anon, "/api/v1/events?when=past"))
event = next(e for e in listed if e["title"].startswith("Regijski aktiv 1:"))
coordinator = login("coordinator")
people = text(coordinator, f"/events/{event['id']}/participants")
ana = re.search(r'name="person_id" value="(\d+)"', people).group(1)
body = urllib.parse.urlencode(
    {"person_id": ana, "attended": "1", "_csrf": csrf(people)}).encode()
coordinator.open(urllib.request.Request(
    BASE + f"/events/{event['id']}/attendance", data=body, method="POST"))

leader = login("leader")
status, pdf = fetch(leader, f"/events/{event['id']}/certificate.pdf?lang=sl")
assert status == 200 and pdf.startswith(b"%PDF-"), status
with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
    f.write(pdf)
    f.flush()
    words = subprocess.run(["pdftotext", "-layout", f.name, "-"], check=True,
                           capture_output=True, text=True).stdout
    fonts = subprocess.run(["pdffonts", f.name], check=True,
                           capture_output=True, text=True).stdout
flat = " ".join(words.split())
for expected in ["Potrdilo o udeležbi", "Ana Novak", "Regijski aktiv 1:",
                 "24. 5. 2017", "Regional group counselling for principals"]:
    assert expected in flat, (expected, words)
embedded = [l for l in fonts.splitlines() if "DejaVuSans" in l]
assert embedded and all(" yes " in l for l in embedded), fonts
link = re.search(r"(https?://\S+/certificates/[0-9A-Z-]+)", words).group(1)
status, page = fetch(anon, link)
assert status == 200 and "Ana Novak" in page.decode(), (link, status)
status, _ = fetch(anon, "/certificates/2345-6789-ABCD")
assert status == 404, status
print(f"pdftotext: the certificate names Ana Novak and the event; {len(embedded)} fonts "
      f"embedded; {link} confirms it, a forged code is refused")

# The guidance case report: the demo advisor downloads Ullensaker's in Norwegian, over
# more than one page, with its phases, goals and the letters æ, ø, å.
advisor = login("advisor")
cases = json.loads(text(advisor, "/api/v1/guidance/cases"))
case = next(c for c in cases if c["owner"] == "Ullensaker kommune")


def report_words(path):
    """The advisor's PDF at `path` as pdftotext reads it: (layout text, one line)."""
    status, pdf = fetch(advisor, path)
    assert status == 200 and pdf.startswith(b"%PDF-"), status
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(pdf)
        f.flush()
        words = subprocess.run(["pdftotext", "-layout", f.name, "-"], check=True,
                               capture_output=True, text=True).stdout
    return words, " ".join(words.split())


words, flat = report_words(f"/guidance/cases/{case['id']}/report.pdf?lang=nb")
for expected in ["Saksrapport — Ullensaker kommune", "Kartlegging og analyse",
                 "Mål og tiltak", "Matematikksenteret, NTNU", "Kari Nordmann"]:
    assert expected in flat, (expected, words)
status, _ = fetch(login("ost-owner"), f"/guidance/cases/{case['id']}/report.pdf")
assert status == 404, status
# The report of the case's first year: its span, the phases completed in it, and the
# referral of January 2026, not the meeting of September 2026.
words, flat = report_words(f"/guidance/cases/{case['id']}/report.pdf?lang=nb&year=1")
for expected in ["Årsrapport 1 — Ullensaker kommune", "Faser fullført i året",
                 "Matematikksenteret, NTNU"]:
    assert expected in flat, (expected, words)
assert "flyttet til våren" not in flat and "moved to the spring" not in flat, words
print("pdftotext: the case report names its owner, phases, goals and referral; "
      "another owner's contact is refused; the first year's report holds that year only")
