// AWS credentials and accounts, shared by the LookupEvents backend, the CLI and the editor.
export { listProfiles, awsConfigFiles, type AwsProfile, type ProfileKind, type AwsConfigFiles } from './profiles';
export {
  resolveCredentials,
  forgetCachedCredentials,
  type CredentialOptions,
  type MfaCodeProvider,
  type ResolvedCredentials,
} from './credentials';
export { AwsCredentialsError } from './credentialsError';
export { getCallerIdentity, type CallerIdentity } from './callerIdentity';
export { AwsSession, resolveAccount, type AwsIdentity, type AwsSessionOptions } from './awsSession';
