// Failed calls: the error code and message each service family writes. Codes differ
// by protocol (EC2's Client.* prefix, IAM/STS/S3 query-style codes, JSON services'
// *Exception), and runbooks match on them, so they have to be the real spellings.
import type { ActionDef, Ctx } from './action';
import { servicePrefix } from './servicePrefix';

export interface CallError {
  code: string;
  message: string;
}

function prefixOf(def: ActionDef): string {
  return servicePrefix(def.source);
}

export function deniedError(def: ActionDef, c: Ctx, resource = '*'): CallError {
  const who = c.identity.arn ?? c.identity.principalId ?? 'anonymous';
  const why = `because no identity-based policy allows the ${def.iamAction} action`;
  switch (prefixOf(def)) {
    case 'ec2':
      return {
        code: 'Client.UnauthorizedOperation',
        message: `You are not authorized to perform this operation. User: ${who} is not authorized to perform: ${def.iamAction} ${why}`,
      };
    case 's3':
      return { code: 'AccessDenied', message: 'Access Denied' };
    case 'iam':
    case 'sts':
      return {
        code: 'AccessDenied',
        message: `User: ${who} is not authorized to perform: ${def.iamAction} on resource: ${resource} ${why}`,
      };
    default:
      return {
        code: 'AccessDeniedException',
        message: `User: ${who} is not authorized to perform: ${def.iamAction} on resource: ${resource} ${why}`,
      };
  }
}

export function throttleError(def: ActionDef): CallError {
  switch (prefixOf(def)) {
    case 'ec2':
      return { code: 'Client.RequestLimitExceeded', message: 'Request limit exceeded.' };
    case 's3':
      return { code: 'SlowDown', message: 'Please reduce your request rate.' };
    default:
      return { code: 'ThrottlingException', message: 'Rate exceeded' };
  }
}

export function notFoundError(def: ActionDef, c: Ctx): CallError | undefined {
  if (!def.notFound) return undefined;
  const [code, message] = def.notFound(c);
  return { code, message };
}
