"""check-template and label-test: check the Word template, calibrate the label printer."""

from __future__ import annotations

from pathlib import Path

import click

from merge.cli import language
from merge.cli.app import cli, label_offset_option
from merge.cli.console import console, plain
from merge.cli.data_options import labels_option
from merge.cli.language import argument, option
from merge.errors import CampaignError, TemplateError
from merge.i18n import N_, _


@cli.command("label-test")
@labels_option("The label product to calibrate for (e.g. 3422, 3474, L7163).")
@label_offset_option(
    "Shift X mm right and Y mm down; print again until the outlines match the labels. "
    'Decimal comma or point, in quotes because of the ";", e.g. "1,5;-0,5"; or X,Y with '
    "points: 1.5,-0.5."
)
@option(
    "--out",
    "out_path",
    type=language.Path(path_type=Path),
    metavar=N_("FILE"),
    help="The .docx to write (default outputs/label-test-<CODE>.docx); a .pdf is made beside it.",
)
def label_test_command(
    label_code: str, label_offset: tuple[float, float], out_path: Path | None
) -> None:
    """Print one page of label outlines on plain paper to calibrate the printer.

    Hold the print against a label sheet (or against the light): if the outlines sit
    off the labels, print again with --label-offset until they match, then use the
    same --label-offset with run.

    \b
    Example:
      petition-merge label-test --labels 3474 --label-offset 1.5,-0.5
    """
    from merge.render import label_products, labels, pdf

    product = label_products.label_product(label_code)
    target = out_path or Path("outputs") / f"label-test-{product.code}.docx"
    target.parent.mkdir(parents=True, exist_ok=True)
    labels.render_outline_sheet(target, product, label_offset)
    written = [target]
    if pdf.find_soffice() is not None:
        pdf.convert_to_pdf(target, target.with_suffix(".pdf"))
        written.append(target.with_suffix(".pdf"))
    files = ", ".join(plain(str(p)) for p in written)
    console().print(
        _("Wrote {files} ({product})").format(files=files, product=plain(product.describe()))
    )


@cli.command("check-template")
@argument("path", required=False, type=language.Path(path_type=Path), metavar=N_("[FILE]"))
@option("--campaign", metavar=N_("NAME|PATH"), help="Check the template this campaign uses.")
def check_template_command(path: Path | None, campaign: str | None) -> None:
    """Check a Word template: placeholders, one page per list, room for every signer.

    With no FILE, checks the template of the campaign (default: xuar). The page is measured
    with the campaign's letter (with a FILE and no --campaign: the shipped one's).

    \b
    Example:
      petition-merge check-template templates/petition-list.docx
    """
    from merge.campaign import load_campaign
    from merge.render.template_check import LETTER, check_template

    chosen = load_campaign(campaign, Path.cwd()) if campaign or path is None else None
    target = path or (chosen.template if chosen else Path())
    problems = check_template(target, chosen)
    out = console()
    if not problems:
        out.print(_("{file}: template OK").format(file=plain(str(target))))
        return
    for problem in problems:
        out.print(f"{plain(str(target))}: {plain(problem.where)}: {plain(problem.problem)}")
    letter_only = all(problem.kind == LETTER for problem in problems)
    raise click.exceptions.Exit(CampaignError.exit_code if letter_only else TemplateError.exit_code)
