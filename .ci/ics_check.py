#!/usr/bin/env python3
"""Reads Headway's calendars with a real iCalendar parser (the `icalendar` package):
an event's ICS file in its own zone, one audience's hours, and a personal feed holding
events on both sides of a daylight-saving change. Usage: ics_check.py BASE_URL"""
import http.cookiejar
import json
import re
import sys
import urllib.parse
import urllib.request
from datetime import datetime, timezone

import icalendar

BASE = sys.argv[1].rstrip("/")
UTC = timezone.utc


def session():
    jar = http.cookiejar.CookieJar()
    return urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))


def get(opener, path):
    with opener.open(BASE + path) as r:
        return r.read().decode()


def post(opener, path, data=None, form=None, token=None):
    headers = {}
    if data is not None:
        body = json.dumps(data).encode()
        headers["Content-Type"] = "application/json"
    else:
        body = urllib.parse.urlencode(form or {}).encode()
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    if token:
        headers["X-CSRF-Token"] = token
    req = urllib.request.Request(BASE + path, data=body, headers=headers, method="POST")
    try:
        with opener.open(req) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()


def csrf(html):
    return re.search(r'name="_csrf" value="([0-9a-f]+)"', html).group(1)


def login(user):
    s = session()
    token = csrf(get(s, "/login"))
    post(s, "/login", form={"username": user, "password": "headway-demo", "_csrf": token})
    return s, csrf(get(s, "/me"))


def events(text):
    cal = icalendar.Calendar.from_ical(text)
    assert any(c.name == "VTIMEZONE" for c in cal.walk()), "a VTIMEZONE"
    return [c for c in cal.walk() if c.name == "VEVENT"]


def utc(ev, key):
    return ev.get(key).dt.astimezone(UTC).replace(tzinfo=None)


anon = session()
listed = json.loads(get(anon, "/api/v1/events"))
gathering = next(e for e in listed if e["title"].startswith("Oppstartsamling"))["id"]
session_id = next(e for e in listed if e["title"].startswith("Svetovanje regijskemu aktivu"))["id"]

[ev] = events(get(anon, f"/events/{gathering}/calendar.ics"))
assert utc(ev, "dtstart") == datetime(2020, 1, 28, 8, 0), ev.get("dtstart").dt  # 09:00 CET
assert str(ev.get("uid")) == f"event-{gathering}@headway"
[ev] = events(get(anon, f"/events/{gathering}/calendar.ics?audience=principals"))
assert utc(ev, "dtstart") == datetime(2020, 1, 28, 10, 30), ev.get("dtstart").dt  # 11:30 CET

# A summer event (CEST) beside the March session (CET), both in one leader's feed.
coordinator, token = login("coordinator")
status, body = post(coordinator, "/api/v1/events", token=token, data={
    "kind": "training", "title": "Poletna šola", "language": "sl",
    "time_zone": "Europe/Ljubljana", "starts_at": "2027-06-10T09:00", "ends_at": "2027-06-10T15:00",
    "audiences": ["Ravnatelji"]})
assert status == 201, (status, body)
summer = json.loads(body)["id"]
leader, token = login("leader")
for event in (session_id, summer):
    status, body = post(leader, f"/api/v1/events/{event}/registrations", token=token, data={})
    assert status == 201, (event, status, body)
page = post(leader, "/me/calendar", form={"_csrf": csrf(get(leader, "/me/calendar"))})[1]
link = re.search(r'(/calendar/[0-9a-f]+\.ics)', page).group(1)
feed = events(get(anon, link))
starts = sorted(utc(e, "dtstart") for e in feed)
# Her regional group's session of 24 May 2017 (she took part, CEST), the March session (CET)
# and the summer event (CEST).
assert starts == [datetime(2017, 5, 24, 7, 0), datetime(2027, 3, 18, 8, 0),
                  datetime(2027, 6, 10, 7, 0)], starts
print(f"icalendar {icalendar.__version__}: event file, audience hours and a feed of "
      f"{len(feed)} events across a daylight-saving change read as meant")

# A guidance case's calendar: the demo advisor's Ullensaker case, with its meetings and
# deadlines as all-day entries (DATE values) and the end of each of its three years.
from datetime import date

advisor, _ = login("advisor")
cases = json.loads(get(advisor, "/api/v1/guidance/cases"))
case = next(c for c in cases if c["owner"] == "Ullensaker kommune")
cal = icalendar.Calendar.from_ical(get(advisor, f"/guidance/cases/{case['id']}/calendar.ics"))
days = {str(e["SUMMARY"]): e.decoded("DTSTART") for e in cal.walk("VEVENT")}
assert all(type(d) is date for d in days.values()), days
assert days["Guidance meeting: Ullensaker kommune"] == date(2026, 9, 8), days
ends = sorted(d for s, d in days.items() if s.startswith("End of year"))
assert ends == [date(2026, 8, 31), date(2027, 8, 31), date(2028, 3, 1)], ends
done = [e for e in cal.walk("VEVENT") if "Learning walks" in str(e["SUMMARY"])]
assert len(done) == 1 and str(done[0]["STATUS"]) == "CANCELLED", done
print(f"icalendar: a guidance case's calendar holds {len(days)} all-day entries (meetings, "
      "deadlines, ends of years)")
