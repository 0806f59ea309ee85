from sentry_skill.pagination import next_cursor_from_link, parse_link_header

SENTRY = ('<https://sentry.io/api/0/organizations/acme/issues/?&cursor=1700:0:1>; rel="previous"; '
          'results="false"; cursor="1700:0:1", <https://sentry.io/api/0/organizations/acme/issues/?'
          '&cursor=1700:100:0>; rel="next"; results="true"; cursor="1700:100:0"')
# As recorded from GlitchTip: wrapped in {'...'}, no cursor where results="false".
GLITCHTIP_LAST = ("{'<http://127.0.0.1:8000/api/0/issues/1/events/>; rel=\"previous\"; results=\"false\", "
                  "<http://127.0.0.1:8000/api/0/issues/1/events/>; rel=\"next\"; results=\"false\"'}")
GLITCHTIP_MORE = ("{'<http://127.0.0.1:8000/api/0/issues/1/events/?limit=1>; rel=\"previous\"; results=\"false\", "
                  "<http://127.0.0.1:8000/api/0/issues/1/events/?cursor=cD0yMDI2LTExLTIz&limit=1>; rel=\"next\"; "
                  "results=\"true\"; cursor=\"cD0yMDI2LTExLTIz\"'}")


def test_sentry_next_cursor():
    assert next_cursor_from_link(SENTRY) == "1700:100:0"
    assert [e["rel"] for e in parse_link_header(SENTRY)] == ["previous", "next"]


def test_glitchtip_wrapped_header():
    assert next_cursor_from_link(GLITCHTIP_MORE) == "cD0yMDI2LTExLTIz"
    assert next_cursor_from_link(GLITCHTIP_LAST) is None


def test_results_false_ends_the_walk_even_with_a_cursor():
    assert next_cursor_from_link(SENTRY.replace('results="true"', 'results="false"')) is None


def test_cursor_taken_from_url_when_attribute_missing():
    header = '<https://x.example/api/0/things/?cursor=abc%3D%3D&per_page=5>; rel="next"; results="true"'
    assert next_cursor_from_link(header) == "abc=="


def test_standard_link_without_results_attribute():
    assert next_cursor_from_link('<https://x.example/p?cursor=7>; rel="next"') == "7"


def test_missing_or_garbage_header():
    assert next_cursor_from_link(None) is None
    assert next_cursor_from_link("") is None
    assert next_cursor_from_link("garbage; rel=next") is None
