"""The issue list's projects and sort, in the form each server takes.

sentry.io takes project slugs or ids in `project`, `-1` for every accessible
project, and Sentry's sort names. Other servers refuse some of that:

- Sentry releases before mid-2026 (most self-hosted installs) answer 400
  "Invalid project parameter. Values must be numbers." to a slug in `project`.
- GlitchTip answers 422 to a slug (`int_parsing`) and to Sentry's sort names
  (`literal_error`: it sorts by last_seen, first_seen, count and priority), and
  reads `project=-1` as a project id, answering with nothing.

So the Sentry form goes first: where it is taken (sentry.io) nothing extra is
sent. A refusal names what the server lacks; it is noted in the client's
`lacks`, and the request goes once more in the form that server takes: slugs
become ids through one GET of the organization's projects, sort names become
GlitchTip's. Ids rather than `projectSlug`: GlitchTip and Sentry releases before
2023 ignore `projectSlug` without a word, and a list that is silently not
filtered is wrong (bulk-update-issues would change other projects' issues).
`-1` answered with nothing is asked once more without it.

`query_for` is the one function that decides, from what is wanted and what the
server lacks. The client remembers `lacks` per host (routes.py), so the refused
first request is not sent again the next time.
"""

from __future__ import annotations

from typing import NamedTuple

from .errors import ApiError, NotFound, UsageError
from .ids import check_slug, seg

EVERY = ("all", "-1")      # --project all: every accessible project
ALL_PROJECTS = "-1"        # spec: `project=-1` is every accessible project
# spec: the sort enum of the issue list (default date).
SORTS = ("date", "freq", "inbox", "new", "recommended", "trends", "user")
# GlitchTip's names for the Sentry sorts that mean the same order; without '-' it sorts
# ascending (recorded: issues_sort_first_seen, issues_sort_count).
GLITCHTIP_SORTS = {"date": "-last_seen", "new": "-first_seen", "freq": "-count"}
PAGE = 100                 # projects per page of the lookup (the most Sentry gives)
MAX_LOOKUP_PAGES = 10      # GlitchTip lists at most 1000 (X-Max-Hits)

# What a server can lack, by name: the names a per-host memory keeps.
SLUG_PROJECTS = "project-slugs"        # `project` takes numeric ids only
MINUS_ONE = "project-minus-one"        # `project=-1` is not every project
SENTRY_SORTS = "sentry-sort-names"     # `sort` takes GlitchTip's names only


class Wanted(NamedTuple):
    """The projects and sort a command asks for, as the user named them."""

    projects: tuple = ()     # slugs or numeric ids; () = the server's default (no `project`)
    every: bool = False      # every accessible project
    sort: str | None = None  # one of SORTS


def sort_arg(text: str) -> str:
    """--sort: one of Sentry's names (argparse type)."""
    if text not in SORTS:
        raise UsageError(f"--sort {text!r} is not a sort name.", hint=f"Use one of {', '.join(SORTS)}.")
    return text


def wanted_from(args, settings) -> Wanted:
    """--project (repeatable; all or -1: every project) over SENTRY_PROJECT, and --sort.

    Checked before any request. The configured project fills in only when no
    --project is given, so --project all overrides SENTRY_PROJECT.
    """
    values = list(getattr(args, "project", None) or [])
    if not values and settings.project:
        values = [settings.project]
    sort = getattr(args, "sort", None)
    if sort == "inbox" and not {"is:for_review", "is:unresolved"} <= set((args.query or "").split()):
        # Sentry sorts by inbox only within the inbox (its inbox_search): unresolved issues for review.
        raise UsageError("--sort inbox lists the review inbox: --query needs is:for_review and is:unresolved.",
                         hint="Use: --sort inbox --query 'is:unresolved is:for_review'")
    if any(value.strip() in EVERY for value in values):
        if len(values) > 1:
            raise UsageError("--project all means every project: give it alone.")
        return Wanted(every=True, sort=sort)
    projects = tuple(dict.fromkeys(check_slug(value.strip(), "Project") for value in values))
    return Wanted(projects=projects, sort=sort)


def query_for(wanted: Wanted, lacks: set, project_ids) -> dict:
    """The `project` and `sort` parameters for `wanted` on a server that lacks `lacks`.

    `project_ids(slugs)` -> {slug: id} is called only when the server takes ids
    only and slugs were given; numeric ids are sent as they are.
    """
    params: dict = {}
    if wanted.every:
        if MINUS_ONE not in lacks:
            params["project"] = [ALL_PROJECTS]
    elif wanted.projects:
        slugs = [p for p in wanted.projects if not p.isdigit()]
        if slugs and SLUG_PROJECTS in lacks:
            ids = project_ids(slugs)
            params["project"] = list(dict.fromkeys(ids.get(p, p) for p in wanted.projects))
        else:
            params["project"] = list(wanted.projects)
    if wanted.sort:
        params["sort"] = _sort_for(wanted.sort, lacks)
    return params


def _sort_for(sort: str, lacks: set) -> str:
    if SENTRY_SORTS not in lacks:
        return sort
    if sort in GLITCHTIP_SORTS:
        return GLITCHTIP_SORTS[sort]
    raise ApiError(f"This server (GlitchTip) cannot sort by {sort!r}: it sorts by last seen, first seen, "
                   "event count and its own priority only.", status=422,
                   hint="Use --sort date, new or freq here, or leave --sort out.")


def refusal(error: ApiError, params: dict) -> set:
    """What a refused issue list says the server lacks; empty when it refused something else."""
    data = getattr(error, "data", None)
    detail = data.get("detail") if isinstance(data, dict) else None
    sent_slugs = any(not p.lstrip("-").isdigit() for p in params.get("project", []))
    lacks = set()
    if error.status == 400 and sent_slugs and "Values must be numbers" in str(detail):
        lacks.add(SLUG_PROJECTS)  # Sentry before mid-2026: OrganizationEndpoint.get_requested_project_ids_unchecked
    if error.status == 422 and isinstance(detail, list):  # GlitchTip: one entry per bad parameter
        for problem in detail:
            where = (problem.get("loc") or []) if isinstance(problem, dict) else []
            if "project" in where and sent_slugs:
                lacks.add(SLUG_PROJECTS)  # recorded: issues_project_slug_422
            if where[-1:] == ["sort"] and "sort" in params:
                lacks.add(SENTRY_SORTS)   # recorded: issues_sort_date, issues_sort_freq, ...
    return lacks


def send(client, org: str, wanted: Wanted, request, *, empty):
    """`request(params)` with the projects and sort in the form this server takes.

    At most: the Sentry form, refused; one lookup of project ids; the request
    again. For every project, an empty answer to -1 is asked once more without it.
    `empty(answer)` says whether an answer holds nothing.
    """
    lacks = client.lacks

    def lookup(slugs):
        return project_ids(client, org, slugs)

    params = query_for(wanted, lacks, lookup)
    try:
        answer = request(params)
    except ApiError as error:
        learned = refusal(error, params) - lacks
        if not learned:
            raise
        client.learn_lacks(learned)
        params = query_for(wanted, lacks, lookup)  # refuses a sort the server has no name for
        client.explain(f"this server lacks {', '.join(sorted(learned))}; asking again in its form")
        answer = request(params)
    if params.get("project") == [ALL_PROJECTS] and empty(answer):
        # GlitchTip reads -1 as a project id (recorded: issues_project_minus1 answers []). On Sentry
        # the projects without it are the caller's own, a part of -1's: empty as well.
        client.explain("project=-1 found nothing; asking again without it")
        again = request(query_for(wanted, lacks | {MINUS_ONE}, lookup))
        if not empty(again):
            client.learn_lacks({MINUS_ONE})
        answer = again
    return answer


def project_ids(client, org: str, slugs: list) -> dict:
    """{slug: id} for the named projects, from the organization's project list.

    One GET: Sentry lists only the slugs named in `query` (`slug:NAME`); GlitchTip
    reads only team: there and lists every project, so its pages are walked until
    each slug is found. per_page is Sentry's page size, limit GlitchTip's: each
    server ignores the other's.
    """
    from .pagination import next_cursor_from_link

    path = f"/organizations/{seg(org)}/projects/"
    params = {"query": " ".join(f"slug:{slug}" for slug in slugs), "per_page": PAGE, "limit": PAGE}
    found: dict = {}
    for _ in range(MAX_LOOKUP_PAGES):
        response = client.request("GET", path, params=params, scope="org:read")
        page = response.data if isinstance(response.data, list) else []
        found.update({p["slug"]: str(p["id"]) for p in page if isinstance(p, dict) and "slug" in p and "id" in p})
        cursor = next_cursor_from_link(response.headers.get("Link"))
        if all(slug in found for slug in slugs) or not page or not cursor:
            break
        params = {**params, "cursor": cursor}
    missing = [slug for slug in slugs if slug not in found]
    if missing:
        raise NotFound(f"No project {missing[0]!r} in {org}.",
                       hint="--project takes a project's slug, as in its Sentry URL, or its numeric id.")
    return {slug: found[slug] for slug in slugs}
