// One CloudTrail management event with the fields a real one has (an IAM user listing
// buckets from the AWS CLI), for tests that write their own small log files.

let serial = 0;

export function cloudTrailRecord(eventTime: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  serial += 1;
  const id = String(serial).padStart(12, '0');
  return {
    eventVersion: '1.09',
    userIdentity: {
      type: 'IAMUser',
      principalId: 'AIDAEXAMPLEALICE00001',
      arn: 'arn:aws:iam::111122223333:user/alice',
      accountId: '111122223333',
      accessKeyId: 'AKIAEXAMPLEALICE0001',
      userName: 'alice',
    },
    eventTime,
    eventSource: 's3.amazonaws.com',
    eventName: 'ListBuckets',
    awsRegion: 'us-east-1',
    sourceIPAddress: '198.51.100.7',
    userAgent:
      'aws-cli/2.22.4 md/awscrt#0.23.4 ua/2.0 os/linux#6.8.0 md/arch#x86_64 lang/python#3.12.6 md/pyimpl#CPython cfg/retry-mode#standard md/installer#exe md/distrib#ubuntu.24 md/prompt#off md/command#s3api.list-buckets',
    requestParameters: { Host: 's3.us-east-1.amazonaws.com' },
    responseElements: null,
    additionalEventData: {
      SignatureVersion: 'SigV4',
      CipherSuite: 'TLS_AES_128_GCM_SHA256',
      bytesTransferredIn: 0,
      AuthenticationMethod: 'AuthHeader',
      'x-amz-id-2': 'example',
      bytesTransferredOut: 512,
    },
    requestID: `REQ${id}`,
    eventID: `00000000-0000-4000-8000-${id}`,
    readOnly: true,
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: '111122223333',
    eventCategory: 'Management',
    tlsDetails: { tlsVersion: 'TLSv1.3', cipherSuite: 'TLS_AES_128_GCM_SHA256', clientProvidedHostHeader: 's3.us-east-1.amazonaws.com' },
    ...extra,
  };
}
