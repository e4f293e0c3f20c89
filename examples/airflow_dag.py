"""An Airflow DAG that runs kg every hour over a growing folder of articles.

kg is incremental: a rerun parses only new or changed articles, so the task stays short. The
task fails (and Airflow retries) on exit 2 — rules, model or usage errors; on exit 1 some
articles failed, which the report lists: this DAG lets that pass and leaves the report in XCom.
"""

from __future__ import annotations

import json
import subprocess
from datetime import datetime, timedelta
from pathlib import Path

from airflow import DAG
from airflow.operators.python import PythonOperator

KG = "/srv/kg/.venv/bin/kg"
INPUT, OUT, STORE = "/data/news", "/data/kg-out", "/data/kg-store"


def export_articles() -> dict[str, object]:
    run = subprocess.run([KG, "export", INPUT, "-o", OUT, "--prune", "--log-json", "--load", "--store", STORE],
                         capture_output=True, text=True)
    if run.returncode == 2:
        raise RuntimeError(run.stderr.strip().splitlines()[-1])
    report: dict[str, object] = json.loads(Path(OUT, "kg-report.json").read_text(encoding="utf-8"))
    return {"exported": len(report["exported"]), "unchanged": len(report["skipped"]),  # type: ignore[arg-type]
            "failed": report["failed"]}


with DAG(
    dag_id="kg_export",
    start_date=datetime(2026, 1, 1),
    schedule=timedelta(hours=1),
    catchup=False,
    max_active_runs=1,  # kg also refuses a second run on the same output folder
    default_args={"retries": 2, "retry_delay": timedelta(minutes=5)},
) as dag:
    PythonOperator(task_id="export", python_callable=export_articles)
