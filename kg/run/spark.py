"""`kg export --engine spark`: the same per-document function, run on Apache Spark.

The driver reads the articles (files or a JSON Lines feed) and writes every output, exactly as a
local run does; executors only run the per-document function the run hands over (batch's: parse,
then `document.process`). Each executor process loads the rules and the model once (batch caches
them) and keeps them for all its partitions. Nothing here imports batch: the function comes in.
The master comes from `KG_SPARK_MASTER` (default `local[2]`); see the README for a cluster.
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

from ..errors import KgError

T = TypeVar("T")
R = TypeVar("R")


def _partition(fn: Callable[[T], R], rows: Iterable[tuple[int, T]]) -> Iterator[tuple[int, R]]:
    for index, item in rows:
        yield index, fn(item)


def run_spark(todo: list[T], fn: Callable[[T], R]) -> Iterator[R]:
    """`fn` over every item on Spark, the results in the items' order. `fn` goes to the executors
    by reference (a module-level function), so it must be importable there."""
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise KgError("--engine spark needs pyspark: pip install 'kg[spark]'") from None
    master = os.environ.get("KG_SPARK_MASTER", "local[2]")
    # executors must run the Python kg is installed in (on a cluster: set PYSPARK_PYTHON yourself)
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    spark = SparkSession.builder.master(master).appName("kg export").getOrCreate()
    try:
        sc = spark.sparkContext
        slices = max(1, min(len(todo), sc.defaultParallelism * 4))
        rows = sc.parallelize(list(enumerate(todo)), numSlices=slices)
        results = rows.mapPartitions(functools.partial(_partition, fn)).collect()
    except Exception as err:  # Py4JJavaError and friends: the job, not one article, failed
        first = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
        raise KgError(f"spark ({master}): the job failed: {first}") from None
    finally:
        if master.startswith("local"):
            spark.stop()
    for _, result in sorted(results, key=lambda r: r[0]):
        yield result
