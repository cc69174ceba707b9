// The local endpoint in a process of its own, so a test can measure what one request costs
// the server alone: it prints its URL as a JSON line, then answers every line on standard
// input with its peak RSS so far (KB), and exits when standard input ends.
// Run: node --import tsx test/support/endpointChild.ts LOGS ACCESS_KEY_ID SECRET
import { createInterface } from 'node:readline';
import { startCloudTrailEndpoint } from '../../src/testbed/cloudtrailEndpoint';

const [logsPath, accessKeyId, secretAccessKey] = process.argv.slice(2) as [string, string, string];
void (async () => {
  const endpoint = await startCloudTrailEndpoint({
    logsPath,
    principals: [{ accessKeyId, secretAccessKey, account: '111122223333' }],
    rateLimit: 1000,
  });
  process.stdout.write(`${JSON.stringify({ url: endpoint.url, maxRssKb: process.resourceUsage().maxRSS })}\n`);
  const lines = createInterface({ input: process.stdin });
  lines.on('line', () => process.stdout.write(`${JSON.stringify({ maxRssKb: process.resourceUsage().maxRSS })}\n`));
  lines.on('close', () => void endpoint.close().then(() => process.exit(0)));
})();
