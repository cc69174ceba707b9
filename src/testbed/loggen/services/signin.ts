// AWS sign-in (global, logged in us-east-1): console logins. The MFAUsed flag in
// additionalEventData is what "console login without MFA" detections read.
import { api } from '../action';
import { makeRecord, type CallSpec } from '../record';
import type { Timed } from '../types';

export const CONSOLE_LOGIN = api(
  'signin.amazonaws.com',
  'ConsoleLogin',
  { global: true, version: '1.09', readOnly: false, eventType: 'AwsConsoleSignIn', requestId: 'none' },
  () => ({ requestParameters: null, responseElements: { ConsoleLogin: 'Success' } }),
);

/** A ConsoleLogin record. A failed login has no errorCode, only the message, and its
 *  responseElements say Failure (unlike API errors, whose responseElements are null). */
export function consoleLogin(spec: CallSpec, opts: { mfa: boolean; success: boolean; mfaDevice?: string }): Timed {
  const ext: Record<string, string> = {
    LoginTo: 'https://console.aws.amazon.com/console/home?hashArgs=%23&isauthcode=true',
    MobileVersion: 'No',
  };
  if (opts.mfa && opts.mfaDevice) ext.MFAIdentifier = opts.mfaDevice;
  ext.MFAUsed = opts.mfa ? 'Yes' : 'No';
  const rec = makeRecord(CONSOLE_LOGIN, { ...spec, body: { additionalEventData: ext } });
  if (!opts.success) {
    rec.r.errorMessage = 'Failed authentication';
    rec.r.responseElements = { ConsoleLogin: 'Failure' };
  }
  return rec;
}
