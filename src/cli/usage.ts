export const USAGE = `trailbook: run CloudTrail runbooks (Markdown with \`cloudtrail\` SQL blocks)

Usage:
  trailbook run RUNBOOK.md --logs PATH [options]   run a runbook's cells on local logs
  trailbook run RUNBOOK.md --source lookup [--profile P | --profiles P1,P2 | --sso-session S] [--region R1,R2] [--endpoint URL] [options]
                                                   run them on the account's LookupEvents (last 90 days), or on several
                                                   accounts at once (each profile; every profile of an sso-session of
                                                   ~/.aws/config), each at its own rate, the account in recipientAccountId;
                                                   an MFA code, if the profile needs one, is read from the terminal
  trailbook run RUNBOOK.md --source trino --trino-server URL --trino-table CATALOG.SCHEMA.TABLE [--trino-user U] [options]
                                                   run them on your own Trino over a table with Athena's CloudTrail
                                                   schema; the window is written into the SQL as run. A password or
                                                   token comes only from TRINO_PASSWORD or TRINO_ACCESS_TOKEN
  trailbook run RUNBOOK.md --source athena [--athena-workgroup W] [--athena-database D] [--athena-table T] [options]
                                                   run them on Athena over the trail's table (default workgroup primary,
                                                   table default.cloudtrail_logs); credentials from --profile as for lookup.
                                                   Refused when the cost bound is above --max-scan (default 10GB)
  trailbook athena ddl --bucket s3://B[/PREFIX] --accounts ID,… [--org o-…] [--regions R,…] [--table T] [--database D] [--apply]
                                                   print the CREATE EXTERNAL TABLE (partition projection) for a trail's
                                                   bucket; --apply runs it in the workgroup (--athena-workgroup, --region)
  trailbook profiles [--format table|json]         list the AWS profiles (~/.aws/config, ~/.aws/credentials)
  trailbook lint [--format text|sarif] PATH...    check runbooks without running them (sarif: for GitHub code scanning)
  trailbook check RUNBOOK.md... (--logs PATH | --source …) [--state FILE] [--notify NAME...] [options]
                                                   run runbooks as scheduled detections: the events since the last
                                                   check, each finding alerted once, alerts resolved when verified
  trailbook test [PATH...]                         run the test cases beside runbooks (<stem>.tests/<cell>/fires|quiet/*.json),
                                                   each alone on its own events; default: the bundled runbooks.
                                                   Exit 1 a case failed, 2 a case could not run (bad file, cell error)
  trailbook demo                                   run the bundled runbooks on a generated sample trail
  trailbook drill --attack NAME | --list            generate ordinary work with one attack injected and show which
                                                   bundled detections catch it and which fire without it
  trailbook serve-cloudtrail --logs DIR [--port N] [--accounts] [--json]
                                                   serve a log folder as a local CloudTrail LookupEvents endpoint;
                                                   prints its URL and this start's keys (KEY=value lines, or one JSON line);
                                                   --accounts: each recipientAccountId its own events and keys
  trailbook serve-athena --logs DIR [--port N] [--max-concurrent N] [--trino URL --trino-table C.S.T [--trino-user U]] [--json]
                                                   a local Athena endpoint over a log folder, executing on DuckDB (or on
                                                   that Trino); the folder is also its S3 bucket for the cost bound.
                                                   Prints its URL, region and this start's keys, as serve-cloudtrail

Options of run:
  --logs PATH          a log file or folder (.json, .json.gz, NDJSON, the S3 layout AWSLogs/…)
  --profile P          the AWS profile for --source lookup (default: AWS_PROFILE, else the
                       environment's AWS_ACCESS_KEY_ID, else default)
  --profiles P1,P2     several accounts at once (wins over a runbook's profiles: and a cell's profiles=);
                       an account that cannot be read is named, the others' rows still come, exit 2
  --sso-session S      every profile of ~/.aws/config with sso_session = S (an account and role each)
  --trino-server URL   https://host[:port] (plain http only to 127.0.0.1/localhost); or TRINO_SERVER
  --trino-table T      the CloudTrail table, catalog.schema.table; or TRINO_TABLE
  --trino-user U       the Trino user (default: TRINO_USER, else USER)
  --athena-workgroup W, --athena-database D, --athena-table T, --athena-catalog C
                       where --source athena runs (defaults primary, default, cloudtrail_logs, AwsDataCatalog)
  --athena-output S3   the query result location, when the workgroup sets none (s3://bucket/folder/)
  --athena-accounts IDS, --athena-regions RS
                       read only these accounts' and regions' partitions (an organisation table)
  --max-scan BYTES     run an Athena query whose cost bound is up to BYTES (e.g. 50GB; default 10GB)
  --athena-price-per-tb USD
                       the price per TB scanned for the cost shown (default 5)
  --cell ID            run this cell (and the cells it takes values from); repeatable
  --allow-actions      with --cell naming a response action (a \`\`\`sh block): run the cells it
                       uses, then print its command, with their values quoted, and ask before
                       /bin/sh runs it. Without this flag actions never run.
  --yes                with --allow-actions: run the printed command without asking. Needed
                       when standard input is not a terminal (CI, scripts).
  --param NAME=VALUE   a runbook parameter; repeatable
  --window SPAN        e.g. 24h, 7d (default: the cell's, the runbook's, else all events)
  --start T --end T    an absolute window in UTC, e.g. 2024-07-31T00:00:00Z
  --format F           table (default), json, csv, ndjson, junit (a test case a cell, a finding a failure)
  --out FILE           write the results to FILE instead of standard output
  --evidence FILE      also write an evidence report of the run (runbook hash and git commit,
                       each cell's SQL as run, window, times, row count and result SHA-256):
                       JSON if FILE ends in .json, Markdown if in .md; written on findings and
                       errors too
  --limit N            at most N rows a cell (default 10000)
  --cache DIR          where parsed logs are kept (default: $TRAILBOOK_CACHE_DIR or ~/.cache/trailbook)
  --no-cache           parse the logs again and keep nothing
  --quiet              no progress or notes on standard error

Options of check (and run's --logs, --source, --profile, --region, --endpoint, --param, --limit, --cache):
  --state FILE         where the last window's end and the alerts are kept (default .trailbook-check.json)
  --notify NAME        send alerts to this notifier of trailbook.notify.yaml; repeatable (docs/notifications.md)
  --notify-config FILE another notifier file (default trailbook.notify.yaml)
  --start T [--end T]  check from T (a first run, or a backfill of T to --end) instead of the state's mark
  --every SPAN         keep checking every SPAN (e.g. 15m, jittered) until SIGTERM or SIGINT
  --overlap SPAN       look back this far before the last window's end, for late events (default 15m)
  --delay SPAN         end windows this long before now: CloudTrail delivers late (default 5m)
  --keep-resolved SPAN resolved alerts leave the state file this long after (default 30d)
  --dry-run            print the alerts' payloads instead of sending them; the state is not written
  --format F           table (default), json, junit
  Exit status: 0 nothing new, 1 new findings, 2 a runbook could not run or an alert could not be sent,
  3 nothing new but some cells are not configured (a parameter describing your environment is unset).

With GITHUB_ACTIONS=true, run, check and lint also print GitHub annotations (10 of each level a step).

Exit status: 0 every expectation holds; 1 a detection found rows (or an expect=rows cell
found none); 2 a usage, runbook, SQL or input error, or a response action that failed;
3 nothing found, but a cell is not configured: it uses a parameter with no default (your
address ranges, buckets, hours) that was not given, so it judged nothing (set it with --param).
`;
