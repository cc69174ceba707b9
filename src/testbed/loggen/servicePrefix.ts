/** `ec2` of `ec2.amazonaws.com`: the service's prefix in IAM actions and CLI commands. */
export function servicePrefix(source: string): string {
  const dot = source.indexOf('.');
  return dot < 0 ? source : source.slice(0, dot);
}
