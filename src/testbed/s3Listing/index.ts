// A local S3 ListObjectsV2 over folders: the Athena source's cost bound, tested with no AWS account.
export { startS3ListingEndpoint, type S3ListingEndpoint, type S3ListingOptions } from './server';
