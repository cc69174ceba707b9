// The generated organisation's answers to the runbooks' environment parameters (those with
// no default: address ranges, sensitive buckets, office hours). The bundled runbooks invent
// none, so the demo, the editor's sample and the tests on generated trails give these.
import { organisation } from './org';
import { OFFICE_RANGES } from './network';

/** Every NAT gateway address of the organisation's VPCs, each a /32: its own, nobody else's. */
function natGateways(): string[] {
  return organisation().accounts.flatMap((a) => Object.values(a.regions).flatMap((r) => r.natIps.map((ip) => `${ip}/32`)));
}

/** The VPCs' private ranges (calls through VPC endpoints carry them). */
function vpcRanges(): string[] {
  return organisation().accounts.map((a) => `${a.cidr}.0.0/16`);
}

/**
 * Where the organisation's own calls come from: offices and VPN, NAT gateways, VPC
 * endpoints, the partner's egress, and the two places its choices put on shared addresses:
 * GitHub-hosted CI runners (Azure) and Lambda functions outside a VPC (the regions' Lambda
 * ranges). Not AWS's whole address space: an attacker on EC2 is outside these.
 */
export function organisationRanges(): string[] {
  return [
    `${OFFICE_RANGES.paris}.0/24`,
    `${OFFICE_RANGES.newYork}.0/24`,
    `${OFFICE_RANGES.vpn}.0/24`,
    ...vpcRanges(),
    ...natGateways(),
    '198.18.24.7/32', // the partner broker's egress
    '20.102.0.0/16',
    '40.84.0.0/16',
    '52.191.0.0/16',
    '4.175.0.0/16', // GitHub-hosted runners
    '3.248.0.0/16',
    '3.236.0.0/16',
    '13.211.0.0/16', // Lambda outside a VPC, per region
  ];
}

/** The buckets that hold the organisation's data, backups and logs. */
export function sensitiveBuckets(): string[] {
  const names = organisation().accounts.flatMap((a) =>
    Object.values(a.regions).flatMap((r) =>
      r.buckets.filter((b) => ['backups', 'data-lake', 'cloudtrail-logs'].includes(b.purpose)).map((b) => b.name),
    ),
  );
  return [...new Set(names)].sort();
}

/** Values for every environment parameter of the bundled runbooks, as --param would give them. */
export function organisationParams(): Record<string, string> {
  const ranges = organisationRanges().join(', ');
  return {
    known_ranges: ranges,
    trusted_ranges: ranges,
    buckets: sensitiveBuckets().join(','),
    // Offices in Paris and New York: in Berlin time the working day runs from 08:00 in
    // Paris to 18:00 in New York (24:00 here); the night and the weekend are off hours.
    time_zone: 'Europe/Berlin',
    business_start: '8',
    business_end: '24',
    // The organisation's own accounts: anything shared or trusted outside them is foreign.
    org_accounts: organisation()
      .accounts.map((a) => a.account.id)
      .join(','),
  };
}
