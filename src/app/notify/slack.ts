// Slack incoming webhooks: one message per group of alerts (a cell's new findings in one
// run), in blocks. Slack reads `<!channel>`, `<@U123>` and `<https://…|text>` in mrkdwn and in
// the fallback text as mentions and links, so every value (log fields, runbook text) has its
// `&`, `<` and `>` escaped as Slack documents: a log field can show those characters but never
// ping anyone or hide a link.
import { toTable } from '../output';
import type { AlertNotice } from './alertNotice';

export function slackEscape(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

/** Slack refuses a section text over 3000 characters. */
const SECTION_MAX = 2900;

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export function slackMessage(notices: readonly [AlertNotice, ...AlertNotice[]]): Record<string, unknown> {
  const [first] = notices;
  const where = slackEscape(`${first.runbook}:${first.line}`);
  // The link is built by trailbook from the configured repository URL, percent-encoded, so
  // it holds no `|` or `>` that would end Slack's link syntax early.
  const runbookText = first.link ? `<${first.link}|${where}>` : where;
  const cellName = slackEscape(first.cell) + (first.heading ? ` · ${slackEscape(first.heading)}` : '');
  if (first.action === 'resolve') {
    const summary = `Resolved: ${plural(notices.length, 'finding')} of ${first.title} (${first.cell}): the detection no longer finds them and the verify cells pass`;
    return {
      text: slackEscape(summary),
      blocks: [
        {
          type: 'section',
          text: {
            type: 'mrkdwn',
            text: clip(
              `:white_check_mark: *Resolved* · *${slackEscape(first.title)}* · ${cellName}\n${plural(notices.length, 'finding')}: the detection no longer finds them and the verify cells pass`,
              SECTION_MAX,
            ),
          },
        },
        {
          type: 'context',
          elements: [
            {
              type: 'mrkdwn',
              text: clip(`Runbook ${runbookText} · keys ${slackEscape(notices.map((n) => n.key).join(', '))}`, SECTION_MAX),
            },
          ],
        },
      ],
    };
  }
  const rows = notices.flatMap((n) => n.rows).slice(0, 5);
  const count = notices.reduce((sum, n) => sum + n.rowCount, 0);
  const table = rows.length > 0 && first.columns.length > 0 ? toTable(first.columns, rows) : '';
  const summary = `${first.title}: ${plural(notices.length, 'new finding')} in ${first.cell} (${first.severity})`;
  return {
    text: slackEscape(summary),
    blocks: [
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: clip(
            `:rotating_light: *${slackEscape(first.title)}* · ${cellName}\n*${plural(notices.length, 'new finding')}* (${plural(count, 'row')}) · severity *${first.severity}*`,
            SECTION_MAX,
          ),
        },
      },
      {
        type: 'section',
        fields: [
          { type: 'mrkdwn', text: `*Runbook*\n${runbookText}` },
          { type: 'mrkdwn', text: `*Window*\n${slackEscape(first.window.start)} → ${slackEscape(first.window.end)}` },
        ],
      },
      ...(table ? [{ type: 'section', text: { type: 'mrkdwn', text: `\`\`\`${clip(slackEscape(table), SECTION_MAX - 6)}\`\`\`` } }] : []),
      {
        type: 'context',
        elements: [
          {
            type: 'mrkdwn',
            text: clip(
              `${rows.length < count ? `first ${rows.length} of ${count} rows · ` : ''}keys ${slackEscape(notices.map((n) => n.key).join(', '))}`,
              SECTION_MAX,
            ),
          },
        ],
      },
    ],
  };
}
