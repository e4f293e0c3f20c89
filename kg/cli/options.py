"""The options and arguments more than one command takes, or that name a closed set, each defined
once with its one help text (as spaCy's `Arg`/`Opt` and sqlite-utils' `output_options` do).

A closed set of values is an enum: typer shows its choices, and `command.check_choices` says a
value outside them in kg's wording. The enums' values are the library's (tests/test_cli.py checks
they agree); the CLI passes `.value` on, never the enum."""

from __future__ import annotations

import enum
from pathlib import Path
from typing import Annotated

import typer


class Format(enum.StrEnum):
    """An export's output format per article (kg.rdf.FORMATS)."""

    ttl = "ttl"
    trig = "trig"
    nq = "nq"


class Engine(enum.StrEnum):
    """Where an export runs (kg.run.local.ENGINES)."""

    local = "local"
    spark = "spark"


class ResultFormat(enum.StrEnum):
    """How a query's results are written (kg.store.RESULTS_FORMATS)."""

    table = "table"
    csv = "csv"
    tsv = "tsv"
    json = "json"


RULES_HELP = "Rules folder or file (default: the starter pack)."
OUTPUTS_HELP = "kg output files (.ttl, .trig, .nq) or folders of them."

Model = Annotated[Path | None, typer.Option("--model", help="UDPipe model file (else $KG_UDPIPE_MODEL, the cache, "
                                            "the shipped model).")]
Rules = Annotated[Path | None, typer.Option("--rules", help=RULES_HELP)]
Store = Annotated[Path | None, typer.Option("--store", help="Embedded store folder (default: $KG_STORE or "
                                            ".kg-store).")]
Date = Annotated[str | None, typer.Option("--date", help="Publication date (YYYY-MM-DD) for articles whose input "
                                          "gives none: relative times resolve against it.")]
Workers = Annotated[int, typer.Option("--workers", "-w", help="Parser processes; kg's own stages run beside them "
                                      "in this one (default: the cores available).", min=0, show_default=False)]
LogJson = Annotated[bool, typer.Option("--log-json", help="Structured logs: one JSON object a line on stderr.")]

# output options
Formats = Annotated[list[Format] | None, typer.Option("--format", "-f", help="Output format per article: ttl "
                                                      "(default), trig or nq (named graph per document); repeat "
                                                      "for several.")]
ResultFormatOpt = Annotated[ResultFormat, typer.Option("--format", help="The results as a plain table, or in a "
                                                       "SPARQL results format.")]

Outputs = Annotated[list[Path], typer.Argument(help=OUTPUTS_HELP, metavar="PATH")]
