"""An issue's tag distribution and grouping hashes, and a project's events, in the tests'
server model (see server_model.py), derived from the recorded events of the detailed issues.

Sources, as there: "recorded: NAME" is an exchange with a real GlitchTip (the
glitchtip-api recording NAME, or "live": the loopback GlitchTip of 2026-12-01);
"spec" is Sentry's API description (listProjectEvents, getOrganizationIssueTag,
listOrganizationIssueTagValues, listOrganizationIssueHashes) and its facts.md.
"""

from __future__ import annotations

import hashlib

PROJECT_SLUGS = ("backend", "frontend")  # recorded: org_projects
# The event list's keys as GlitchTip spells them for an issue (snake_case, recorded:
# issue_events_plain) and for a project (camelCase, recorded: project_events).
CAMEL = {"event_id": "eventID", "group_id": "groupID", "project_id": "projectID",
         "date_created": "dateCreated", "date_received": "dateReceived"}
# spec: the keys of listProjectEvents' example, an error event's summary.
SUMMARY_KEYS = ("id", "eventID", "groupID", "projectID", "title", "message", "dateCreated", "user", "tags",
                "platform", "culprit", "metadata")


def camel(event: dict) -> dict:
    return {CAMEL.get(key, key): value for key, value in event.items()}


class IssueData:
    """Mixed into ServerModel: uses its issues, events() and page()."""

    def issue_events_of(self, issue) -> list:
        return [camel(event) for event in self.events(issue["id"])]

    # -- a project's events ------------------------------------------------------------

    def project_events(self, call):
        project = call.args["project"]
        if project not in PROJECT_SLUGS:
            if call.dialect == "glitchtip":  # live: an unknown project's events are an empty list
                return self.page(call.path, call.query, [], "limit", call.dialect)
            return 404, {"detail": "The requested resource does not exist"}, {}  # spec
        events = [event for issue in self.issues if issue["project"]["slug"] == project
                  for event in self.issue_events_of(issue)]
        events.sort(key=lambda event: event["dateCreated"], reverse=True)
        if call.dialect == "glitchtip":
            # Full events, camelCase, whatever `full` says; paged by `limit` (recorded:
            # project_events, project_events_full, project_events_limit1).
            return self.page(call.path, call.query, events, "limit", call.dialect)
        if call.query.get("full") != ["true"]:  # spec: summaries unless full=true
            events = [{**{key: event.get(key) for key in SUMMARY_KEYS}, "event.type": "error",
                       "crashFile": None, "location": None} for event in events]
        return self.page(call.path, call.query, events, "per_page")  # spec: Sentry's per_page

    # -- an issue's tags -------------------------------------------------------------

    def tag_counts(self, issue) -> dict:
        """key -> value -> (count, first seen, last seen), over the issue's events."""
        counts: dict = {}
        for event in self.issue_events_of(issue):
            for tag in event.get("tags") or []:
                key, value = (tag["key"], tag["value"]) if isinstance(tag, dict) else tag  # or a [key, value] pair
                count, first, last = counts.setdefault(key, {}).get(value, (0, None, None))
                seen = event["dateCreated"]
                counts[key][value] = (count + 1, min(first or seen, seen), max(last or seen, seen))
        return counts

    def issue_tags(self, call):
        issue = self.find_issue(call.args["issue"])
        if not issue:
            return 404, ({"detail": "Not Found"} if call.dialect == "glitchtip" else  # live: issues/999999/tags/
                         {"detail": "The requested resource does not exist"}), {}
        wanted = (call.query.get("key") or [None])[0]
        answer = []
        for key, values in self.tag_counts(issue).items():
            if wanted and key != wanted:  # recorded: issue_tags_key_param (GlitchTip filters on `key`)
                continue
            ranked = sorted(values.items(), key=lambda pair: -pair[1][0])
            top = [self.tag_value(key, value, seen, call.dialect) for value, seen in ranked]
            answer.append({"key": key, "name": key, "totalValues": sum(seen[0] for seen in values.values()),
                           "uniqueValues": len(values), "topValues": top})
        # GlitchTip: recorded issue_tags ({topValues: [{name, value, count, key}], uniqueValues, key, name,
        # totalValues}); Sentry: spec, getOrganizationIssueTag's shape for each key. Neither pages this list.
        return 200, answer, {}

    def tag_value(self, key, value, seen, dialect):
        count, first, last = seen
        if dialect == "glitchtip":
            return {"name": value, "value": value, "count": count, "key": key}  # recorded: issue_tags
        return {"key": key, "name": value, "value": value, "count": count, "lastSeen": last, "firstSeen": first}  # spec

    def issue_tag_values(self, call):
        """spec: listOrganizationIssueTagValues, paged (Sentry's per_page)."""
        issue = self.find_issue(call.args["issue"])
        values = self.tag_counts(issue).get(call.args["key"]) if issue else None
        if values is None:
            return 404, {"detail": "The requested resource does not exist"}, {}
        ranked = sorted(values.items(), key=lambda pair: -pair[1][0])
        items = [self.tag_value(call.args["key"], value, seen, call.dialect) for value, seen in ranked]
        return self.page(call.path, call.query, items, "per_page")

    # -- an issue's grouping hashes ----------------------------------------------------

    def issue_hashes(self, call):
        """One hash per issue, its latest event with it (spec: listOrganizationIssueHashes;
        live: GlitchTip's answer for issue 1, the same keys). An unknown issue is an empty
        list on GlitchTip (live: issues/999999/hashes/); Sentry's 404 (spec)."""
        issue = self.find_issue(call.args["issue"])
        if not issue:
            if call.dialect == "glitchtip":
                return self.page(call.path, call.query, [], "limit", call.dialect)
            return 404, {"detail": "The requested resource does not exist"}, {}
        events = sorted(self.issue_events_of(issue), key=lambda event: event["dateCreated"], reverse=True)
        digest = hashlib.md5(f"{issue['id']}:{issue['title']}".encode()).hexdigest()
        hashes = [{"id": digest, "latestEvent": events[0] if events else None}]
        # GlitchTip pages by `limit` (its AsyncLinkHeaderPagination); Sentry by `per_page`.
        return self.page(call.path, call.query, hashes, "limit" if call.dialect == "glitchtip" else "per_page",
                         call.dialect)
