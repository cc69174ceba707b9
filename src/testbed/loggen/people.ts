// The organisation's people: engineers with Identity Center permission sets (console
// and CLI sessions per account) and two security engineers with IAM users, console
// and MFA. Each person keeps the same addresses, browser and CLI for good.
import type { ActionDef } from './action';
import { HUMAN_REGIONS, type Actor } from './actor';
import { iamUserSession, newSessionKey } from './identities';
import { AGENTS, BROWSER_AGENTS, CLI_OS, CLI_VERSIONS, cliAgent, cliCommand, officeIp, OFFICE_RANGES } from './network';
import { ADMIN_WRITES, CLI_DEV, CLI_POWER, CONSOLE_READS, mix, POWER_WRITES, SECURITY_CONSOLE, type Mix } from './mixes';
import { accountByName, COMPANY_DOMAIN, role, user, type Account, type AccountResources, type Org } from './org';
import { Rng } from './prng';
import { consoleSignIn, roleSessionMinter, type SessionSource } from './sessions';
import { HOUR } from './time';

type PermissionSet = 'AdministratorAccess' | 'PowerUserAccess' | 'ReadOnlyAccess';
interface Person {
  name: string;
  grants: readonly (readonly [Account['name'], PermissionSet])[];
  activity: number;
}

const PEOPLE: readonly Person[] = [
  {
    name: 'amelie.durand',
    grants: [
      ['prod', 'AdministratorAccess'],
      ['staging', 'AdministratorAccess'],
      ['security', 'AdministratorAccess'],
    ],
    activity: 1.2,
  },
  {
    name: 'ben.carter',
    grants: [
      ['prod', 'PowerUserAccess'],
      ['staging', 'PowerUserAccess'],
    ],
    activity: 1.5,
  },
  {
    name: 'chloe.nguyen',
    grants: [
      ['staging', 'PowerUserAccess'],
      ['prod', 'ReadOnlyAccess'],
    ],
    activity: 1.3,
  },
  {
    name: 'david.okafor',
    grants: [
      ['staging', 'PowerUserAccess'],
      ['prod', 'PowerUserAccess'],
    ],
    activity: 1,
  },
  {
    name: 'emma.schmidt',
    grants: [
      ['security', 'AdministratorAccess'],
      ['prod', 'ReadOnlyAccess'],
      ['staging', 'ReadOnlyAccess'],
    ],
    activity: 1,
  },
  { name: 'farid.haddad', grants: [['staging', 'PowerUserAccess']], activity: 0.8 },
  { name: 'grace.lee', grants: [['prod', 'ReadOnlyAccess']], activity: 0.6 },
  { name: 'hugo.martin', grants: [['staging', 'AdministratorAccess']], activity: 0.7 },
];

function nameSeed(name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193);
  return h;
}

/** Each person works from two addresses (office and VPN) and one browser, for good. */
function personNetwork(name: string) {
  const r = new Rng(nameSeed(name));
  const office = officeIp(r);
  const vpn = `${OFFICE_RANGES.vpn}.${r.range(64, 120)}`;
  return {
    ip: (rng: Rng) => (rng.chance(0.7) ? office : vpn),
    browser: r.pick(BROWSER_AGENTS),
    cli: [r.pick(CLI_VERSIONS), r.pick(CLI_OS)] as const,
  };
}

function consoleAgent(browser: string) {
  return (rng: Rng, def: ActionDef) => (def.source === 's3.amazonaws.com' ? AGENTS.s3Console : rng.chance(0.6) ? AGENTS.console : browser);
}

function ssoRoleName(acct: AccountResources, ps: PermissionSet): string {
  const r = acct.roles.find((x) => x.name.startsWith(`AWSReservedSSO_${ps}_`));
  if (!r) throw new Error(`no ${ps} permission set in ${acct.account.alias}`);
  return r.name;
}

export function people(org: Org): Actor[] {
  const out: Actor[] = [];
  for (const p of PEOPLE) {
    const net = personNetwork(p.name);
    const email = `${p.name}@${COMPANY_DOMAIN}`;
    for (const [accountName, ps] of p.grants) {
      const acct = accountByName(org, accountName);
      const r = role(acct, ssoRoleName(acct, ps));
      const writes: Mix = ps === 'ReadOnlyAccess' ? [] : ps === 'PowerUserAccess' ? POWER_WRITES : [...POWER_WRITES, ...ADMIN_WRITES];
      // Identity Center renews console sessions through its portal, outside the member
      // account's trail: no renewal record.
      const sso = (ttl: number): SessionSource => ({ ttl, mint: roleSessionMinter(acct, r, () => email) });
      out.push({
        id: `${p.name}@${accountName}/console`,
        acct,
        klass: 'human',
        weight: p.activity * 3,
        regions: HUMAN_REGIONS,
        actions: mix([...CONSOLE_READS, ...writes]),
        attrs: {},
        ip: net.ip,
        ua: consoleAgent(net.browser),
        vpce: 0,
        tls12: false,
        console: true,
        sessions: sso(8 * HOUR),
      });
      if (ps !== 'ReadOnlyAccess') {
        const [version, os] = net.cli;
        out.push({
          id: `${p.name}@${accountName}/cli`,
          acct,
          klass: 'human',
          weight: p.activity * 2,
          regions: HUMAN_REGIONS,
          actions: mix(ps === 'PowerUserAccess' || ps === 'AdministratorAccess' ? CLI_POWER : CLI_DEV),
          attrs: { bucketPurposes: ['artifacts', 'uploads', 'data-lake'] },
          ip: net.ip,
          ua: (_rng, def) => cliAgent(version, os, cliCommand(def.source, def.name)),
          vpce: 0,
          tls12: false,
          console: false,
          sessions: sso(HOUR),
        });
      }
    }
  }
  // Security engineers with IAM users in the security account: console with MFA.
  const sec = accountByName(org, 'security');
  for (const name of ['ines.moreau', 'tomas.lindqvist']) {
    const u = user(sec, name);
    const net = personNetwork(name);
    out.push({
      id: `${name}/iam-console`,
      acct: sec,
      klass: 'human',
      weight: 2,
      regions: HUMAN_REGIONS,
      actions: mix(SECURITY_CONSOLE),
      attrs: {},
      ip: net.ip,
      ua: consoleAgent(net.browser),
      vpce: 0,
      tls12: false,
      console: true,
      sessions: {
        ttl: 8 * HOUR,
        mint: (rng, created, ttl) => {
          const key = newSessionKey(rng);
          return { key, created, expires: created + ttl, identity: iamUserSession(sec, u, key, created, true) };
        },
        ...consoleSignIn(sec, u, net.ip, net.browser),
      },
    });
  }
  return out;
}
