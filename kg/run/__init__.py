"""Everything that runs many documents: job (what a run is made of), folder (the output folder's
bookkeeping), local (the run and its parser-pool scheduler), parser (the parser child process),
protocol (what it and kg's process say to each other), spark (the same run on Apache Spark).
Nothing else in kg imports this package but the CLI."""
