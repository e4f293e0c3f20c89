"""Everything that runs many documents: job (what a run is made of), folder (the output folder's
bookkeeping), local (the run and its parser-pool scheduler), parser (the parser child process),
spark (the same run on Apache Spark). Nothing else in kg imports this package but the CLI."""
