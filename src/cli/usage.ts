export const USAGE = `trailbook: run CloudTrail runbooks (Markdown with \`cloudtrail\` SQL blocks)

Usage:
  trailbook run RUNBOOK.md --logs PATH [options]   run a runbook's cells on local logs
  trailbook run RUNBOOK.md --source lookup [--profile P] [--region R1,R2] [--endpoint URL] [options]
                                                   run them on the account's LookupEvents (last 90 days)
  trailbook lint PATH...                           check runbooks without running them
  trailbook demo                                   run the bundled runbooks on a generated sample trail
  trailbook serve-cloudtrail --logs DIR [--port N] serve a log folder as a local CloudTrail LookupEvents endpoint

Options of run:
  --logs PATH          a log file or folder (.json, .json.gz, NDJSON, the S3 layout AWSLogs/…)
  --cell ID            run this cell (and the cells it takes values from); repeatable
  --param NAME=VALUE   a runbook parameter; repeatable
  --window SPAN        e.g. 24h, 7d (default: the cell's, the runbook's, else all events)
  --start T --end T    an absolute window in UTC, e.g. 2024-07-31T00:00:00Z
  --format F           table (default), json, csv, ndjson
  --out FILE           write the results to FILE instead of standard output
  --limit N            at most N rows a cell (default 10000)
  --cache DIR          where parsed logs are kept (default: $TRAILBOOK_CACHE_DIR or ~/.cache/trailbook)
  --no-cache           parse the logs again and keep nothing
  --quiet              no progress or notes on standard error

Exit status: 0 every expectation holds; 1 a detection found rows (or an expect=rows cell
found none); 2 a usage, runbook, SQL or input error.
`;
