// The shape of one CloudTrail record as the generator writes it (the subset of
// fields the generator uses; see the CloudTrail record-contents reference).

export const REGIONS = ['us-east-1', 'eu-west-1', 'ap-southeast-2'] as const;
export type Region = (typeof REGIONS)[number];

/** IAM, STS and sign-in are global services: CloudTrail records them in us-east-1. */
export const GLOBAL_REGION: Region = 'us-east-1';

export interface SessionIssuer {
  type: 'Role' | 'IAMUser' | 'Root';
  principalId: string;
  arn: string;
  accountId: string;
  userName: string;
}

export interface SessionContext {
  sessionIssuer?: SessionIssuer;
  webIdFederationData?: Record<string, unknown>;
  attributes: { creationDate: string; mfaAuthenticated: 'true' | 'false' };
  ec2RoleDelivery?: string;
}

export interface UserIdentity {
  type: 'IAMUser' | 'AssumedRole' | 'AWSService' | 'Root' | 'FederatedUser' | 'WebIdentityUser' | 'AWSAccount';
  principalId?: string;
  arn?: string;
  accountId?: string;
  accessKeyId?: string;
  userName?: string;
  identityProvider?: string;
  sessionContext?: SessionContext;
  invokedBy?: string;
}

export interface Resource {
  accountId?: string;
  type: string;
  ARN: string;
}

export interface TlsDetails {
  tlsVersion: string;
  cipherSuite: string;
  clientProvidedHostHeader: string;
}

export interface CloudTrailRecord {
  eventVersion: string;
  userIdentity: UserIdentity;
  eventTime: string;
  eventSource: string;
  eventName: string;
  awsRegion: string;
  sourceIPAddress: string;
  userAgent: string;
  errorCode?: string | undefined;
  errorMessage?: string | undefined;
  requestParameters: unknown;
  responseElements: unknown;
  additionalEventData?: unknown;
  requestID?: string | undefined;
  eventID: string;
  readOnly: boolean;
  resources?: Resource[] | undefined;
  eventType: 'AwsApiCall' | 'AwsConsoleSignIn' | 'AwsServiceEvent';
  managementEvent: boolean;
  recipientAccountId: string;
  sharedEventID?: string | undefined;
  vpcEndpointId?: string | undefined;
  vpcEndpointAccountId?: string | undefined;
  serviceEventDetails?: unknown;
  eventCategory: 'Management' | 'Data';
  tlsDetails?: TlsDetails | undefined;
  sessionCredentialFromConsole?: 'true' | undefined;
}

/** A record with its time in epoch milliseconds, which decides the file it lands in. */
export interface Timed {
  t: number;
  r: CloudTrailRecord;
}
