// The commercial regions offered in the region picker: one list, kept with the AWS code
// (src/sources/aws/regions.ts) since `trailbook athena ddl` uses it too.
export { AWS_REGIONS } from '../sources/aws/regions';
