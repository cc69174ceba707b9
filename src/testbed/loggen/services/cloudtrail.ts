// CloudTrail itself: the console's Event history (LookupEvents) and trail inspection.
// StopLogging and DeleteTrail exist only in attacks (see attacks/).
import { api, type Ctx } from '../action';
import { HOUR, javaDate } from '../time';

const S = 'cloudtrail.amazonaws.com';
const V = '1.11';

const trailOf = (c: Ctx) => c.rng.pick(c.acct.trails);

export const CLOUDTRAIL = [
  api(S, 'LookupEvents', { version: V }, (c) => {
    const params: Record<string, unknown> = {
      maxResults: 50,
      startTime: javaDate(c.time - c.rng.pick([1, 24, 24 * 7]) * HOUR),
      endTime: javaDate(c.time),
    };
    if (c.rng.chance(0.4)) {
      params.lookupAttributes = [
        c.rng.chance(0.5)
          ? { attributeKey: 'EventName', attributeValue: c.rng.pick(['ConsoleLogin', 'RunInstances', 'CreateUser', 'PutBucketPolicy']) }
          : { attributeKey: 'Username', attributeValue: c.acct.users.length ? c.rng.pick(c.acct.users).name : 'root' },
      ];
    }
    return { requestParameters: params };
  }),
  api(S, 'DescribeTrails', { version: V }, () => ({ requestParameters: { trailNameList: [], includeShadowTrails: true } })),
  api(S, 'ListTrails', { version: V }, () => ({ requestParameters: null })),
  api(S, 'GetTrailStatus', { version: V }, (c) => ({ requestParameters: { name: trailOf(c).arn } })),
  api(S, 'GetTrail', { version: V }, (c) => ({ requestParameters: { name: trailOf(c).name } })),
  api(S, 'GetEventSelectors', { version: V }, (c) => ({ requestParameters: { trailName: trailOf(c).arn } })),
];
