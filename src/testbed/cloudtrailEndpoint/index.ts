// The local CloudTrail endpoint: what tests, e2e runs and the demo point the SDK at.
export { startCloudTrailEndpoint, type CloudTrailEndpoint, type CloudTrailEndpointOptions, type EndpointStats } from './server';
export { localPrincipal, LOCAL_ACCOUNT, type Principal } from './principal';
export type { EndpointRole } from './stsActions';
export { busiestSecond, type RequestLog } from './rateLimiter';
