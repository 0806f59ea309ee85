"""The organization's members in the tests' server model (see server_model.py), both dialects.

Sources, as there: "recorded: NAME" is an exchange with a real GlitchTip (the
glitchtip-api recording NAME); "spec" is Sentry's API description and its server
code (src/sentry/core/endpoints/organization_member_index.py and
organization_member_details.py). GlitchTip's code: apps/organizations_ext/api.py
and schema.py.

The people are the recorded ones on both dialects: the admin Alice (member 1, the
token's user, owner, team `acme`) and the scratch invitee (member 2, pending). The
"glitchtip" dialect serves them as recorded; "sentry" in Sentry's member form, the
spec example's member with the recorded person's id, email, role, name and teams.
"""

from __future__ import annotations

import copy

# GlitchTip's 422 for a body without orgRole, e.g. Sentry's older `role` (recorded:
# member_invite_sentry_role_field, member_update_sentry_role_field: the same body).
ROLE_NAMES = {"member": "Member", "admin": "Admin", "manager": "Manager", "owner": "Owner", "billing": "Billing"}
GLITCHTIP_ROLES = ("member", "admin", "manager", "owner")  # GlitchTip's OrgRole literal (schema.py)


class Members:
    """Member list, detail, invite, update and removal. Mixed into ServerModel."""

    def init_members(self):
        admin = self.body("member_detail_admin")
        invitee = self.body("member_detail")
        self.members = [admin, invitee]        # GlitchTip's detail form, with `teams`
        self.next_member_id = 3                # the recordings' sequence had reached 2

    # -- reads ------------------------------------------------------------------

    def member_list(self, call):
        # Paged by `limit` on GlitchTip (its ninja paginator, glitchtip/api/pagination.py) and by
        # `per_page` on Sentry (spec: the endpoint's OffsetPaginator reads per_page).
        items = [self.member_form(member, call.dialect, listed=True) for member in self.members]
        return self.page(call.path, call.query, items, "limit" if call.dialect == "glitchtip" else "per_page",
                         call.dialect)

    def member_detail(self, call):
        member = self.find_member(call.args["member"])
        if not member:
            return self.no_member(call)
        return 200, self.member_form(member, call.dialect), {}  # recorded: member_detail, member_detail_admin

    # -- writes -----------------------------------------------------------------

    def member_invite(self, call):
        body = call.payload or {}
        email = body.get("email")
        if call.dialect == "glitchtip":
            if body.get("orgRole") not in GLITCHTIP_ROLES:
                return 422, self.body("member_invite_sentry_role_field"), {}  # recorded: member_invite_sentry_role_field
            existing = next((m for m in self.members if m["email"] == email), None)
            if existing and existing.get("user"):
                return 409, {"detail": f"The user {email} is already a member"}, {}  # GlitchTip's api.py
            if existing and body.get("reinvite") is False:
                return 409, {"detail": f"The user {email} is already invited"}, {}  # recorded: member_invite_duplicate
            member = existing or self.add_member(email, body["orgRole"])
            member["teams"] = sorted(set(member["teams"]) | self.team_slugs(body.get("teamRoles") or []))
            answer = self.member_form(member, call.dialect, listed=True)  # recorded: member_invite (no teams)
            return 201, answer, {}
        if not email:
            return 400, {"email": ["This field is required."]}, {}  # spec: the serializer's email is required
        existing = next((m for m in self.members if m["email"] == email), None)
        if existing:  # spec: validate_email, a MemberConflictValidationError (400)
            said = "has already been invited" if existing.get("user") is None else "is already a member"
            return 400, {"email": [f"The user {email} {said}"]}, {}
        teams = body.get("teamRoles") or []
        if any("role" not in item for item in teams) or len(self.team_slugs(teams)) != len(teams):
            return 400, {"teamRoles": ["Invalid teams"]}, {}  # spec: validate_teamRoles
        member = self.add_member(email, body.get("orgRole") or "member")
        member["teams"] = sorted(self.team_slugs(teams))
        return 201, self.member_form(member, call.dialect, listed=True), {}

    def member_update(self, call):
        member = self.find_member(call.args["member"])
        if not member:
            return self.no_member(call)
        body = call.payload or {}
        if call.dialect == "glitchtip":
            if body.get("orgRole") not in GLITCHTIP_ROLES:
                return 422, self.body("member_invite_sentry_role_field"), {}  # recorded: member_update_sentry_role_field
            self.set_role(member, body["orgRole"])  # teamRoles: read, then dropped (GlitchTip's api.py)
            return 200, self.member_form(member, call.dialect), {}  # recorded: member_update_role
        if "teamRoles" in body:  # spec: save_team_assignments, the member's teams become exactly these
            teams = body["teamRoles"] or []
            if any("role" not in item for item in teams) or len(self.team_slugs(teams)) != len(teams):
                return 400, {"teamRoles": ["Invalid teams"]}, {}
            member["teams"] = sorted(self.team_slugs(teams))
        if body.get("orgRole"):
            self.set_role(member, body["orgRole"])
        return 200, self.member_form(member, call.dialect), {}

    def member_delete(self, call):
        member = self.find_member(call.args["member"])
        if not member:
            return self.no_member(call)
        if call.dialect == "glitchtip" and member["isOwner"] and member["user"]["id"] == "1":
            # The token's user removing itself as owner (GlitchTip's api.py; not tried live).
            return 400, {"detail": "User is organization owner. Transfer ownership first."}, {}
        self.members.remove(member)
        return 204, b"", {}  # recorded: member_delete; spec: 204

    # -- the people -------------------------------------------------------------

    def find_member(self, ident):
        return next((m for m in self.members if m["id"] == ident), None)

    def no_member(self, call):
        if call.dialect == "glitchtip":
            return 404, {"detail": "Not Found"}, {}  # recorded: member_detail_after_delete
        return 404, {"detail": "The requested resource does not exist"}, {}  # spec: ResourceDoesNotExist

    def add_member(self, email, role):
        """A pending invite, as GlitchTip answers one (recorded: member_invite)."""
        member = {"id": str(self.next_member_id), "role": role, "roleName": ROLE_NAMES[role],
                  "dateCreated": "2026-12-01T09:02:15.107Z", "email": email, "user": None, "pending": True,
                  "isOwner": False, "teams": []}
        self.next_member_id += 1
        self.members.append(member)
        return member

    def set_role(self, member, role):
        member.update(role=role, roleName=ROLE_NAMES[role])

    def team_slugs(self, team_roles) -> set:
        known = {team["slug"] for team in self.teams}
        return {item.get("teamSlug") for item in team_roles if item.get("teamSlug") in known}

    def member_form(self, member, dialect, listed=False):
        """A member as the dialect serializes it. GlitchTip: as recorded, `teams` in the detail
        only (recorded: members_list, member_detail). Sentry: the spec example's member (its
        flags, inviteStatus, inviter; a whole serialized user) with this person in it; the
        detail adds role, teams and teamRoles (spec: the member detail example)."""
        if dialect == "glitchtip":
            out = copy.deepcopy(member)
            if listed:
                out.pop("teams", None)
            return out
        from server_model import spec_person
        out = spec_person("member")
        user = member.get("user")
        out.update(id=member["id"], email=member["email"], orgRole=member["role"], pending=member["pending"],
                   dateCreated=member["dateCreated"], name=(user or {}).get("name") or member["email"],
                   inviteStatus="approved")
        if user:
            out["user"]["emails"][0]["email"] = user["email"]
            out["user"].update(user)  # the person's own keys over the example's
        else:
            out["user"] = None
        out.update((key, member[key]) for key in ("inviterName", "expired", "flags") if key in member)
        if not listed:
            out.update(role=member["role"], roleName=member["roleName"], teams=list(member["teams"]),
                       teamRoles=[{"teamSlug": slug, "role": None} for slug in member["teams"]])
        return out
