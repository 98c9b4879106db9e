"""Hostile templates: every one stops at a bound, in one line with exit 4, within seconds.

Each template is the bundled one with the title placeholder replaced; the time is measured
here, with a generous bound (a bug of the kind fixed here ran for hours).
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from conftest import (
    BATCH,
    HEADER,
    TEMPLATE,
    edited_template,
    invoke,
    pages_of,
    write_csv,
)
from conftest import petition_signer as signer

from merge.campaign import Campaign
from merge.errors import TemplateError
from merge.render.petitions import render_petitions
from merge.render.sandbox import BoundedEnvironment, Limits, TemplateLimitError

TITLE = "{{ campaign.title }}"
GENEROUS_SECONDS = 15.0


def hostile(tmp_path: Path, replacement: str) -> Path:
    return edited_template(tmp_path, lambda xml: xml.replace(TITLE, replacement, 1))


def check(template: Path) -> tuple[int, list[str], float]:
    """Run check-template; return the exit code, the lines printed and the seconds taken."""
    start = time.monotonic()
    result = invoke("check-template", str(template))
    seconds = time.monotonic() - start
    assert "Traceback" not in result.output
    return result.exit_code, result.output.strip().splitlines(), seconds


@pytest.mark.parametrize(
    ("replacement", "expected"),
    [
        (
            "{% for x in range(100000000) %}x{% endfor %}",
            "the template loops too often: range(100000000) has more than",
        ),
        (
            "{% for x in range(99999) %}{% for y in range(99999) %}{% endfor %}{% endfor %}",
            "the template loops too often: range(99999) has more than",
        ),
        (
            "{% for x in range(9000) %}{% for y in range(9000) %}{% endfor %}{% endfor %}",
            "the template loops too often: more than",
        ),
        (
            "{% set s = 'abcdefghijklmnopqrstuvwxyz' %}{% for a in s %}{% for b in s %}"
            "{% for c in s %}{% for d in s %}{% endfor %}{% endfor %}{% endfor %}{% endfor %}",
            "the template loops too often: more than",
        ),
        (
            "{% set big = 'x' * 19000 %}{% for i in range(200) %}{{ big }}{% endfor %}",
            "the template writes too much: more than",
        ),
        ("{{ campaign.title * 100000000 }}", "the template makes a value too long"),
        ("{{ 9 ** 999999 }}", "the template uses a number too large"),
        ("{{ campaign.title | center(999999999) }}", "the template uses a number too large"),
        ("{{ '%999999999s' % campaign.title }}", "the template makes a value too long"),
        ("{{ '{:>999999999}'.format(campaign.title) }}", "the template makes a value too long"),
        (
            "{{ 'abc' | replace('', 'x' * 50000) }}",
            "the template makes a value too long",
        ),
        (
            "{% set ns = namespace(x=campaign.title) %}{% for i in range(40) %}"
            "{% set ns.x = ns.x ~ ns.x %}{% endfor %}{{ ns.x }}",
            "the template makes a value too long",
        ),
        (
            "{{ ([campaign.title * 1000] * 1000) | join }}",
            "the template makes a value too long",
        ),
        # found by a review: a number squared over and over (each step slower than the last)
        (
            "{% set a = 999999 %}" + "{% set a = a * a %}" * 24 + "{{ a }}",
            "the template uses a number too large",
        ),
        # a list nested deeper than the size count looked
        (
            "{% set a = [[[[[campaign.title]]]]] * 3000 %}{% set b = [a] * 3000 %}{{ b }}",
            "the template makes a value too long",
        ),
        ("{{ '%.900000000f' % 1.0 }}", "the template makes a value too long"),
        ("{{ '{:.900000000f}'.format(1.0) }}", "the template makes a value too long"),
        ("{{ ('{0:{1}{1}{1}' ~ '}').format(1, 999) }}", "builds a format from its own values"),
        ("{{ campaign.title | center(10 ** 400) }}", "a number of about 401 digits"),
        ("{{ " + "(" * 3000 + "1" + ")" * 3000 + " }}", "an expression is nested too deep"),
    ],
)
def test_hostile_template_is_refused_in_one_line_within_seconds(
    tmp_path: Path, replacement: str, expected: str
) -> None:
    code, lines, seconds = check(hostile(tmp_path, replacement))
    assert code == TemplateError.exit_code
    assert len(lines) == 1, lines
    assert expected in lines[0]
    assert lines[0].endswith("- remove or simplify it in the Word template")
    assert seconds < GENEROUS_SECONDS


@pytest.mark.parametrize("expression", ["1 // 0", "10.0 ** 400"])
def test_arithmetic_errors_are_template_errors_not_internal_ones(
    tmp_path: Path, expression: str
) -> None:
    code, lines, _ = check(hostile(tmp_path, "{{ " + expression + " }}"))
    assert code == TemplateError.exit_code, lines
    assert len(lines) == 1 and "rendering a sample fails" in lines[0], lines


def test_range_within_the_bound_renders(tmp_path: Path, campaign: Campaign) -> None:
    modest = hostile(tmp_path, "{% for x in range(3) %}{{ x }}{% endfor %}")
    code, lines, _ = check(modest)
    assert code == 0, lines
    out = tmp_path / "lists.docx"
    render_petitions(modest, campaign, pages_of((signer(1, "A, B"), *[None] * 4)), BATCH, out)
    from docx import Document

    assert "012" in [p.text for p in Document(str(out)).paragraphs]


def test_a_template_that_loops_more_with_longer_names_is_stopped_in_the_run(
    project: Path,
) -> None:
    """The check's sample names are short; these names are 150 characters long."""
    templates = project / "templates"
    looping = hostile(
        project,
        "{% for r in list.rows %}{% for a in r.name[:10] %}{% for b in r.name %}{% endfor %}"
        "{% endfor %}{% endfor %}",
    )
    looping.rename(templates / "petition-list.docx")
    long_names = [
        [f"Langer-Doppelname-{n}-" + "Beispielhausen-" * 8, "Erika", f"Weg {n}", "12345", "Ort"]
        for n in range(300)
    ]
    write_csv(project / "inputs" / "a.csv", [HEADER, *long_names])
    assert invoke("check-template").exit_code == 0
    start = time.monotonic()
    result = invoke("run", "--no-pdf")
    assert time.monotonic() - start < GENEROUS_SECONDS * 2
    assert result.exit_code == TemplateError.exit_code, result.output
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1
    assert "the template loops too often: more than 70000 loop steps for 60 lists" in errors[0]
    assert "Traceback" not in result.output
    assert not (project / "outputs").exists() or not any(
        p.is_dir() and not p.name.startswith(".") for p in (project / "outputs").iterdir()
    )


@pytest.mark.parametrize(
    "statement",
    [
        "{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}",
        "{% for x in [[1]] recursive %}{{ loop(x) }}{% endfor %}",
        "{% set x %}{{ campaign.title }}{% endset %}{{ x }}",
    ],
)
def test_statements_the_check_refuses_also_do_not_render(
    tmp_path: Path, campaign: Campaign, statement: str
) -> None:
    template = hostile(tmp_path, statement)
    code, lines, _ = check(template)
    assert code == TemplateError.exit_code and len(lines) >= 1
    with pytest.raises(TemplateError) as info:
        render_petitions(template, campaign, pages_of((None,) * 5), BATCH, tmp_path / "x.docx")
    assert "is not supported" in str(info.value) and "\n" not in str(info.value)


def test_time_is_bounded_too() -> None:
    env = BoundedEnvironment(Limits(seconds=0.0))
    template = env.from_string("{% for x in range(1000) %}{{ x }}{% endfor %}")
    with pytest.raises(TemplateLimitError, match=r"^the template takes too long: more than 0 s"):
        template.render()


def test_bounds_grow_with_the_lists_of_a_batch() -> None:
    small, large = Limits.for_lists(2), Limits.for_lists(20_000)
    assert large.loop_steps > 1000 * small.loop_steps
    assert large.output_chars > 1000 * small.output_chars
    assert small.seconds < 10 < large.seconds
    assert (large.range_items, large.value_chars) == (small.range_items, small.value_chars)


def test_what_the_sample_may_do_a_batch_of_any_size_may_do_per_list() -> None:
    sample = Limits.for_sample(2)
    for lists in (1, 2, 60, 20_000):
        batch = Limits.for_lists(lists)
        assert batch.loop_steps >= sample.loop_steps / 2 * lists + sample.loop_steps
        assert batch.output_chars >= sample.output_chars / 2 * lists + sample.output_chars


def test_the_bundled_template_stays_far_below_the_bounds(campaign: Campaign) -> None:
    import io

    from merge.render import docx_stream
    from merge.render.context import build_context
    from merge.render.petitions import open_template

    pages = pages_of(*[(signer(n, f"Testperson-{n}, Erika"),) * 5 for n in range(20)])
    context = build_context(campaign, pages, BATCH)
    shared = {k: v for k, v in context.items() if k != "lists"}
    env = BoundedEnvironment(Limits.for_lists(20))
    docx_stream.write_docx(open_template(TEMPLATE), env, context, shared, io.BytesIO())
    assert env.steps <= 20 * 12  # lists, rows and paragraphs
    assert env.output <= 20 * 20_000
