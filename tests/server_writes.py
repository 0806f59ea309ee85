"""The writes of the tests' server model, in both dialects (see server_model.py).

Sources, as there: "recorded: NAME" is an exchange with a real GlitchTip (the
glitchtip-api recording NAME); "spec" is Sentry's API description and its server
code, named by file where the behaviour is in the code only:
src/sentry/api/helpers/group_index/update.py (update_groups, validate_request,
handle_resolve_in_release), .../validators/status_details.py (validate_inRelease),
src/sentry/issues/ignored.py (handle_ignored) and
src/sentry/issues/endpoints/group_details.py (the single-issue PUT answers the
whole issue, read again after the change).

GlitchTip's issue writes (apps/issue_events/api/issues.py, UpdateIssueSchema) take
only `status` (unresolved, resolved, ignored) and `merge`: everything else in the
body is dropped without a word.
"""

from __future__ import annotations

import copy
from datetime import datetime, timedelta, timezone

HTML = {"Content-Type": "text/html; charset=utf-8"}
# Django's CSRF page: GlitchTip's answer to a write to a path it has no API route for,
# such as an issue path with a short id (recorded: org_issue_put_short_id, issue_put_short_id;
# trimmed to its title and message).
HTML_403_CSRF = (b"<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n  <title>403 Forbidden</title>\n</head>\n<body>\n"
                 b"<div id=\"summary\">\n  <h1>Forbidden <span>(403)</span></h1>\n"
                 b"  <p>CSRF verification failed. Request aborted.</p>\n</div>\n</body>\n</html>\n")
# GlitchTip's 422 for a status it does not know (recorded: org_issues_bulk_rinr, issue_put_resolved_next_release).
STATUS_422 = {"detail": [{"type": "enum", "loc": ["body", "payload", "status"],
                          "msg": "Input should be 'unresolved', 'resolved' or 'ignored'",
                          "ctx": {"expected": "'unresolved', 'resolved' or 'ignored'"}}]}
GLITCHTIP_STATUSES = ("unresolved", "resolved", "ignored")
# The keys GlitchTip's issue PUT answers in snake_case: that route lacks by_alias (recorded: issue_put_resolved).
SNAKE_IN_PUT_ANSWER = {"shareId": "share_id", "statusDetails": "status_details",
                       "subscriptionDetails": "subscription_details", "userCount": "user_count",
                       "matchingEventId": "matching_event_id"}
# The releases and the projects they belong to (recorded: releases_list).
RELEASES = {"storefront@1.8.0": {"2"}, "shop@2.4.1": {"1"}, "1.0.0": {"1", "2"}}
IGNORE_CONDITIONS = ("ignoreCount", "ignoreWindow", "ignoreUserCount", "ignoreUserWindow")
RELEASE_RESOLUTIONS = ("inRelease", "inNextRelease", "inCommit")


class Refused(Exception):
    """A 400 with Sentry's body for a change the server validates away (spec: update.py)."""

    def __init__(self, body):
        super().__init__(body)
        self.body = body


class Writes:
    """Issue PUT, DELETE and bulk PUT. Mixed into ServerModel, whose issues they change."""

    # -- one issue ---------------------------------------------------------------------

    def issue_update(self, call):
        issue = self.find_issue(call.args["issue"])
        if not issue:
            return self.no_issue(call)
        change = call.payload or {}
        if call.dialect == "glitchtip":
            status = change.get("status")
            if status is None:  # the handler writes status NULL: an IntegrityError (recorded: issue_put_assign_user)
                return self.html_500(call)
            if status not in GLITCHTIP_STATUSES:
                return 422, STATUS_422, {}  # recorded: issue_put_resolved_next_release
            self.set_fields(issue, {"status": status})  # substatus, statusDetails: dropped (recorded: org_issue_put_ignored_*)
            body = self.issue_body(issue)
            return 200, {SNAKE_IN_PUT_ANSWER.get(key, key): value for key, value in body.items()}, {}
        try:
            self.validate(change, {issue["project"]["id"]})
        except Refused as refused:
            return 400, refused.body, {}
        self.set_fields(issue, self.sentry_change(change))
        return 200, self.issue_body(issue), {}  # spec: group_details.py, the issue read again

    def issue_delete(self, call):
        issue = self.find_issue(call.args["issue"])
        if not issue:
            return self.no_issue(call)
        self.issues.remove(issue)  # gone for later reads at once (recorded: issue_get_right_after_delete)
        if call.dialect == "glitchtip":
            return 204, b"", {}  # recorded: issue_delete
        return 202, b"", {}  # spec: DELETE answers 202

    def csrf_403(self, call):
        return 403, HTML_403_CSRF, HTML

    def write_not_allowed(self, call):
        return 405, b"Method not allowed", {**HTML, "Allow": "PUT"}  # recorded: org_issue_delete

    # -- many issues ---------------------------------------------------------------------

    def bulk_update(self, call):
        ids = call.query.get("id") or []
        if not ids:  # the tests' own guard: without id= a real server changes every issue (spec)
            return 400, {"detail": "This stand-in wants explicit ids."}, {}
        change = call.payload or {}
        projects = set(call.query.get("project") or []) or {issue["project"]["id"] for issue in self.issues}
        issues = [issue for issue in map(self.find_numeric, ids) if issue and issue["project"]["id"] in projects]
        if call.dialect == "glitchtip":
            status = change.get("status")
            if status is not None and status not in GLITCHTIP_STATUSES:
                return 422, STATUS_422, {}  # recorded: org_issues_bulk_rinr
            for issue in issues if status else []:  # an unknown id is passed over (recorded: org_issues_bulk_missing_id)
                self.set_fields(issue, {"status": status})
            return 200, {"status": status, "merge": None}, {}  # the payload echoed (recorded: org_issues_bulk_resolve)
        if not issues:
            return 204, b"", {}  # spec: update.py, "No groups found"
        try:
            # spec: update.py validate_request checks the body against every project the
            # request covers (all of the organization's without project=), and
            # handle_resolve_in_release refuses a release or commit resolution of issues
            # of more than one project.
            self.validate(change, projects)
            if len({issue["project"]["id"] for issue in issues}) > 1 and _resolves_by_release(change):
                raise Refused({"detail": "Cannot set resolved for multiple projects."})
        except Refused as refused:
            return 400, refused.body, {}
        fields = self.sentry_change(change)
        for issue in issues:
            self.set_fields(issue, fields)
        return 200, self.delta(change, fields), {}

    def bulk_delete(self, call):
        ids = call.query.get("id") or []
        if not ids:  # the tests' own guard: without id= a real server deletes up to 1000 issues (spec)
            return 400, {"detail": "This stand-in wants explicit ids."}, {}
        projects = set(call.query.get("project") or []) or {issue["project"]["id"] for issue in self.issues}
        for issue in [issue for issue in map(self.find_numeric, ids) if issue and issue["project"]["id"] in projects]:
            self.issues.remove(issue)  # hidden from reads at once: Sentry's pending deletion, GlitchTip's is_deleted
        if call.dialect == "glitchtip":
            # Its source (delete_issues) answers {"status": "resolved"} through the bulk PUT's schema, for any
            # ids, as the recorded bulk PUT echoes its payload (org_issues_bulk_resolve, _missing_id).
            return 200, {"status": "resolved", "merge": None}, {}
        return 204, b"", {}  # spec: 204 whether or not any issue matched (out-of-scope ids included)

    # -- Sentry's rules ------------------------------------------------------------------

    def validate(self, change, projects):
        """spec: validators/status_details.py, a release must belong to each project checked;
        an assignee team must exist (its actor validation)."""
        who = change.get("assignedTo") or ""
        if who.startswith("team:") and not self.team(who[5:]):
            raise Refused({"assignedTo": ["Team does not exist"]})
        version = (change.get("statusDetails") or {}).get("inRelease")
        if version and any(project not in RELEASES.get(version, ()) for project in projects):
            raise Refused({"statusDetails": {"inRelease": ["Unable to find a release with the given version."]}})

    def sentry_change(self, change) -> dict:
        """The issue fields a PUT body sets, as Sentry then shows them (spec: update.py, ignored.py)."""
        fields = {key: value for key, value in change.items() if key != "statusDetails"}
        details = dict(change.get("statusDetails") or {})
        actor = self.acting_user()
        status = change.get("status")
        if status in ("resolved", "resolvedInNextRelease"):
            fields.update(status="resolved", substatus=None)
            if status == "resolvedInNextRelease" or details.get("inNextRelease"):
                fields["statusDetails"] = {"inNextRelease": True, "actor": actor}
            elif details.get("inRelease"):
                fields["statusDetails"] = {"inRelease": details["inRelease"], "actor": actor}
            elif details.get("inCommit"):  # the commit's own serializer, shortened to what names it
                commit = details["inCommit"]
                fields["statusDetails"] = {"inCommit": {"id": commit["commit"],
                                                        "repository": {"name": commit["repository"]}},
                                           "actor": actor}
            else:
                fields["statusDetails"] = {}
        elif status == "ignored":
            minutes = details.get("ignoreDuration")
            conditions = {key: details.get(key) for key in IGNORE_CONDITIONS}
            if minutes or details.get("ignoreCount") or details.get("ignoreUserCount"):
                until = datetime.now(timezone.utc) + timedelta(minutes=minutes) if minutes else None
                fields["statusDetails"] = {**conditions, "actor": actor,
                                           "ignoreUntil": until.isoformat().replace("+00:00", "Z") if until else None}
            else:
                fields["statusDetails"] = {}
        elif status:  # unresolved: an ongoing issue again (spec: status_change.py infer_substatus)
            fields.update(statusDetails={}, substatus=change.get("substatus", "ongoing"))
        if "assignedTo" in change:  # a username or email, user:<id>, team:<id>, or "" to unassign
            fields["assignedTo"] = self.assignee(change["assignedTo"])
        return fields

    def delta(self, change, fields) -> dict:
        """The bulk PUT's answer: the checked body, statusDetails as handled (spec: update.py)."""
        answer = {key: value for key, value in change.items() if key != "statusDetails"}
        if "status" in change:
            answer.update(status=fields["status"], statusDetails=fields["statusDetails"], inbox=None)
        if "assignedTo" in change:
            answer["assignedTo"] = fields["assignedTo"]
        return answer

    def acting_user(self) -> dict:
        """The acting user, serialized whole as Sentry puts it in statusDetails.actor (spec:
        the user of the spec's member example: name, email, avatar, login data)."""
        from server_model import ACTING_USER
        return copy.deepcopy(ACTING_USER)

    def team(self, team_id):
        return next((team for team in self.teams if team["id"] == team_id), None)

    def assignee(self, value):
        """The assignee as Sentry answers it (spec: its actor serializer; a team's `name` is its slug)."""
        if not value:
            return None
        if value.startswith("team:"):
            team = self.team(value[5:])
            return {"type": "team", "id": team["id"], "name": team["slug"]}
        ident = value.partition(":")[2] if value.startswith("user:") else value
        return {"type": "user", "id": ident, "name": ident}

    def set_fields(self, issue, fields):
        issue.update(fields)
        self.changes.setdefault(issue["id"], {}).update(fields)

    def find_numeric(self, ident):
        return next((issue for issue in self.issues if issue["id"] == ident), None)


def _resolves_by_release(change) -> bool:
    details = change.get("statusDetails") or {}
    return change.get("status") == "resolvedInNextRelease" or any(details.get(k) for k in RELEASE_RESOLUTIONS)

