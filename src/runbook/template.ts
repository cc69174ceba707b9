// The runbook "Trailbook: New runbook" starts from: every part a responder needs at 3 am
// (trigger, detection, pivot, decision, response, verification), each with a working example.
import { slugOf } from './slug';

/** `Root account activity` → `root-account-activity` */
export function runbookSlug(title: string): string {
  return slugOf(title, 'runbook');
}

/** A YAML double-quoted scalar: the title is free text. */
function yamlString(text: string): string {
  return JSON.stringify(text);
}

export function runbookTemplate(title: string, today: Date): string {
  const reviewed = today.toISOString().slice(0, 10);
  const heading = title.replace(/[\r\n]+/g, ' ').trim();
  return `---
title: ${yamlString(heading)}
description: What this investigation finds, in one sentence.
tags: [cloudtrail]
reviewed: ${reviewed}
window: 24h
params:
  event:
    description: The API call to look for
    default: StopLogging
    pattern: "[A-Za-z0-9]+"
---

# ${heading}

**When to run:** the alert, ticket or question that starts this investigation.

## Detect

Rows are findings (\`expect=empty\`): in CI, \`trailbook run\` exits 1 when this finds something.

\`\`\`cloudtrail id=detect expect=empty
SELECT eventTime, eventName, userIdentity.arn AS actor, sourceIPAddress, errorCode
FROM cloudtrail_logs
WHERE eventName = {{event}}
ORDER BY eventTime
\`\`\`

## Pivot: what else did they do?

\`\`\`cloudtrail id=actor-activity
SELECT eventTime, eventSource, eventName, sourceIPAddress, errorCode
FROM cloudtrail_logs
WHERE userIdentity.arn IN ({{detect.actor}})
ORDER BY eventTime
\`\`\`

## Decide

- Expected change by a known person, from a known address: note it; no incident.
- Anything else: treat it as an incident and respond below.

## Respond

Response actions run only from the editor, after you confirm the exact command.

\`\`\`sh id=respond
aws cloudtrail describe-trails
\`\`\`

## Verify

\`\`\`cloudtrail id=verify
SELECT eventTime, eventName, userIdentity.arn AS actor
FROM cloudtrail_logs
WHERE eventSource = 'cloudtrail.amazonaws.com'
ORDER BY eventTime DESC
LIMIT 20
\`\`\`
`;
}
