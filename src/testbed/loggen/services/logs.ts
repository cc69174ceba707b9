// CloudWatch Logs: functions and tasks create log streams as they start; people read
// logs from consoles. (PutLogEvents is not recorded by CloudTrail.)
import { api, type Ctx } from '../action';
import { hex } from '../ids';
import { HOUR, isoDay } from '../time';

const S = 'logs.amazonaws.com';

const groupOf = (c: Ctx) => (c.attrs.functionName ? `/aws/lambda/${c.attrs.functionName}` : c.rng.pick(c.res.logGroups));

export const LOGS = [
  api(S, 'CreateLogStream', {}, (c) => {
    const d = isoDay(c.time);
    return {
      requestParameters: {
        logGroupName: groupOf(c),
        logStreamName: `${d.slice(0, 4)}/${d.slice(5, 7)}/${d.slice(8, 10)}/[$LATEST]${hex(c.rng, 32)}`,
      },
    };
  }),
  api(S, 'DescribeLogGroups', {}, () => ({ requestParameters: { limit: 50 } })),
  api(S, 'DescribeLogStreams', {}, (c) => ({
    requestParameters: { logGroupName: groupOf(c), orderBy: 'LastEventTime', descending: true, limit: 50 },
  })),
  api(S, 'FilterLogEvents', {}, (c) => ({
    requestParameters: {
      logGroupName: groupOf(c),
      startTime: c.time - HOUR,
      endTime: c.time,
      filterPattern: c.rng.pick(['ERROR', '?Exception ?ERROR', '"timeout"', '']),
      interleaved: true,
    },
  })),
  api(S, 'StartQuery', { readOnly: true }, (c) => ({
    requestParameters: {
      logGroupNames: [groupOf(c)],
      startTime: Math.floor((c.time - 3 * HOUR) / 1000),
      endTime: Math.floor(c.time / 1000),
      queryString: 'fields @timestamp, @message | filter @message like /ERROR/ | sort @timestamp desc | limit 100',
    },
    responseElements: { queryId: `${hex(c.rng, 8)}-${hex(c.rng, 4)}-${hex(c.rng, 4)}-${hex(c.rng, 4)}-${hex(c.rng, 12)}` },
  })),
];
