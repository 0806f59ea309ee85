"""digest: the top unresolved issues with what their latest events say, in one call."""

from __future__ import annotations

import time


from server_model import ServerModel

DELAY = 0.3


class SlowServer(ServerModel):
    """Every answer takes DELAY seconds, as a distant server's do: requests one after the other add up."""

    def route(self, *args, **kwargs):
        time.sleep(DELAY)
        return super().route(*args, **kwargs)


def test_digest_is_one_list_and_the_latest_events_at_once(run, standin_factory):
    server = standin_factory("sentry", model=SlowServer())
    started = time.monotonic()
    result = run("digest", "--limit", "5")
    elapsed = time.monotonic() - started
    assert result.code == 0, result.err
    lists = [p for p in server.paths() if p.endswith("/issues/")]
    events = [p for p in server.paths() if p.endswith("/events/latest/")]
    assert len(lists) == 1 and len(events) == 5 and len(server.log) == 6, server.paths()
    assert len({tuple(sorted(p.split("/")[-4:-3])) for p in events}) == 5  # five issues, one request each
    assert elapsed < 1.0, elapsed  # 6 answers of 0.3 s one after the other would take 1.8 s
    assert len(result.out.encode()) <= 1800, len(result.out.encode())
    items = result.json["items"]
    assert len(items) == 5 == result.json["count"]
    listed = [issue["shortId"] for issue in run("list-issues", "--limit", "5").json["items"]]
    assert [item["shortId"] for item in items] == listed  # the list's order: the most important first
    note = [line for line in result.err.splitlines() if line.startswith("sentry-api: digest:")]
    assert note == [f"sentry-api: digest: {len(result.out.encode())} bytes, 6 requests, {note[0].split(', ')[-1]}"]
    with_exception = [item for item in items if "exception" in item]
    assert with_exception and all(set(item["frame"]) >= {"file", "line", "function"} for item in with_exception)


def test_digest_on_glitchtip_learns_the_older_event_path_once(run, glitchtip):
    """GlitchTip answers the org-scoped latest event with a 500 page (recorded: org_issue_event_latest):
    the first digest finds the older path for each issue at the same time; the next one goes there directly."""
    first = run("digest", "--limit", "3")
    assert first.code == 0, first.err
    assert len(first.json["items"]) == 3
    glitchtip.log.clear()
    again = run("digest", "--limit", "3")
    assert again.json == first.json
    asked = sorted(p for p in glitchtip.paths() if "/events/" in p)  # asked at the same time: any order
    assert asked == sorted(f"/api/0/issues/{item_id}/events/latest/" for item_id in _ids(run, 3))


def _ids(run, limit):
    return [item["id"] for item in run("list-issues", "--limit", str(limit)).json["items"]]


# --- issue-detail with several issues ------------------------------------------------


def test_issue_detail_fetches_several_issues_at_once(run, standin_factory):
    server = standin_factory("sentry", model=SlowServer())
    refs = [item["shortId"] for item in run("list-issues", "--limit", "5").json["items"]]
    server.log.clear()
    started = time.monotonic()
    result = run("issue-detail", *refs)
    elapsed = time.monotonic() - started
    assert result.code == 0, result.err
    assert elapsed < 1.0, elapsed  # 5 answers of 0.3 s one after the other would take 1.5 s
    assert len(server.log) == 5
    doc = result.json
    assert doc["count"] == 5 and [item["shortId"] for item in doc["items"]] == refs
    alone = run("issue-detail", refs[0])  # one issue prints the issue itself, as before
    assert alone.json == doc["items"][0]


def test_issue_detail_several_keeps_latest_event_per_issue(run, standin):
    result = run("issue-detail", "BACKEND-C", "FRONTEND-6", "--latest-event")
    assert result.code == 0, result.err
    items = result.json["items"]
    assert [item["shortId"] for item in items] == ["BACKEND-C", "FRONTEND-6"]
    assert items[0] == run("issue-detail", "BACKEND-C", "--latest-event").json
    assert items[1] == run("issue-detail", "FRONTEND-6", "--latest-event").json
    raw = run("issue-detail", "BACKEND-C", "FRONTEND-6", "--latest-event", "--raw").json
    assert [set(item) for item in raw["items"]] == [{"issue", "latestEvent"}] * 2


def test_issue_detail_several_prints_the_others_when_one_fails(run, standin):
    """BACKEND-ZZZ does not exist (spec: 404): the others are still printed; the failure is an item
    with its error, and the exit code is the first failure's."""
    result = run("issue-detail", "BACKEND-C", "BACKEND-ZZZ", "FRONTEND-6")
    assert result.code == 5, result.err
    items = result.json["items"]
    assert items[0]["shortId"] == "BACKEND-C" and items[2]["shortId"] == "FRONTEND-6"
    assert items[1]["issue"] == "BACKEND-ZZZ" and items[1]["error"]["type"] == "not_found"


def test_issue_detail_several_checks_every_reference_first(run, standin):
    result = run("issue-detail", "BACKEND-C", "not an issue!")
    assert result.code == 2 and result.out == ""
    assert standin.log == []


def test_one_command_has_at_most_eight_requests_in_flight(run, standin_factory):
    """digest --limit 25 asks for 25 events: no more than MAX_THREADS at once."""
    import threading


    class Counting(ServerModel):
        def __init__(self):
            super().__init__()
            self.now = self.most = 0
            self.lock = threading.Lock()

        def route(self, *args, **kwargs):
            with self.lock:
                self.now += 1
                self.most = max(self.most, self.now)
            time.sleep(0.05)
            with self.lock:
                self.now -= 1
            return super().route(*args, **kwargs)

    model = Counting()
    server = standin_factory("sentry", model=model, generated_issues=30)
    result = run("digest", "--limit", "25")
    assert result.code == 0, result.err
    assert len([p for p in server.paths() if p.endswith("/events/latest/")]) == 25
    assert 1 < model.most <= 8, model.most


def test_several_short_ids_on_glitchtip_walk_the_list_once(run, standin_factory):
    """GlitchTip has no short-id lookup and its search does not find short ids (recorded:
    org_shortids, issues_query_short_id): the issue list is walked. Several short ids
    share one walk rather than walking once each, one after the other."""
    server = standin_factory("glitchtip", model=SlowServer())
    refs = ["BACKEND-C", "FRONTEND-6", "FRONTEND-7", "FRONTEND-8", "BACKEND-E"]
    assert run("issue-detail", refs[0]).code == 0  # the server's routes are learned (remembered)
    server.log.clear()
    started = time.monotonic()
    result = run("issue-detail", *refs)
    elapsed = time.monotonic() - started
    assert result.code == 0, result.err
    assert [item["shortId"] for item in result.json["items"]] == refs
    walks = [entry for entry in server.log if entry["path"].endswith("/organizations/acme/issues/")]
    assert len(walks) == 1, [entry["path"] for entry in server.log]
    assert elapsed < 1.0, elapsed
