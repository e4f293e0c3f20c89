"""`kg export --engine spark`: the same per-document function, run on Apache Spark.

The driver reads the articles (files or a JSON Lines feed) and writes every output, exactly as a
local run does; executors only parse, extract and serialise. Each executor process loads the
rules and the model once (`batch._prepare` caches them) and keeps them for all its partitions.
The master comes from `KG_SPARK_MASTER` (default `local[2]`); see the README for a cluster.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Iterator

from .batch import DocResult, Job, _process_pair
from .errors import KgError
from .read import Article


def _partition(rows: Iterable[tuple[int, tuple[Article, str, Job]]]) -> Iterator[tuple[int, DocResult]]:
    for index, pair in rows:
        yield index, _process_pair(pair)


def run_spark(todo: list[tuple[Article, str, Job]]) -> Iterator[DocResult]:
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
        results = sc.parallelize(list(enumerate(todo)), numSlices=slices).mapPartitions(_partition).collect()
    except Exception as err:  # Py4JJavaError and friends: the job, not one article, failed
        first = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
        raise KgError(f"spark ({master}): the job failed: {first}") from None
    finally:
        if master.startswith("local"):
            spark.stop()
    for _, result in sorted(results, key=lambda r: r[0]):
        yield result
