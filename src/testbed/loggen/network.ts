// Where calls come from: source addresses and user agents. Humans sit behind a few
// corporate egress ranges, workloads behind NAT gateways or VPC endpoints, AWS services
// appear under their own service name. Attackers use addresses and tools that no one in
// the organisation uses, which is what detections key on.
import type { Rng } from './prng';
import { servicePrefix } from './servicePrefix';

/** Corporate egress (documentation ranges, so they can never be a real third party). */
export const OFFICE_RANGES = {
  paris: '203.0.113', // office egress, 203.0.113.0/24
  newYork: '198.51.100', // office egress, 198.51.100.0/24
  vpn: '192.0.2', // remote-access VPN, 192.0.2.0/24
} as const;

export function officeIp(rng: Rng): string {
  const x = rng.float();
  const prefix = x < 0.45 ? OFFICE_RANGES.paris : x < 0.75 ? OFFICE_RANGES.vpn : OFFICE_RANGES.newYork;
  return `${prefix}.${rng.range(10, 60)}`;
}

/** GitHub-hosted runners egress from Azure ranges. */
export function ciRunnerIp(rng: Rng): string {
  return `${rng.pick(['20.102', '40.84', '52.191', '4.175'])}.${rng.range(0, 255)}.${rng.range(1, 254)}`;
}

/** Lambda functions outside a VPC call out from the region's public AWS ranges. */
export function lambdaIp(rng: Rng, region: string): string {
  const p = region === 'eu-west-1' ? '3.248' : region === 'us-east-1' ? '3.236' : '13.211';
  return `${p}.${rng.range(0, 255)}.${rng.range(1, 254)}`;
}

/** Addresses that belong to no one in the organisation: a Tor exit cluster and a VPS range. */
export const ATTACKER_IPS = ['185.220.101.47', '185.220.101.182', '167.99.38.211', '45.148.10.92'] as const;

/** An AWS account outside the organisation, where attackers share snapshots, keys and trust to. */
export const ATTACKER_ACCOUNT = '913658402718';

export const CLI_VERSIONS = ['2.15.30', '2.17.20', '2.18.4', '2.22.8'];
export const CLI_OS = ['macos#23.5.0 md/arch#arm64', 'macos#24.1.0 md/arch#arm64', 'linux#6.8.0-45-generic md/arch#x86_64'];

/** An AWS CLI v2 user agent naming the command, as recent CLIs do. Version and OS are
 *  the caller's own: one person's laptop does not change CLI between two calls. */
export function cliAgent(version: string, os: string, command: string): string {
  return `aws-cli/${version} md/awscrt#0.20.11 ua/2.0 os/${os} lang/python#3.11.9 md/pyimpl#CPython cfg/retry-mode#standard md/installer#exe md/prompt#off md/command#${command}`;
}

const commands = new Map<string, string>();

/** The CLI command behind an API call: s3 object calls come from `aws s3 cp/ls`, the
 *  rest from `aws <service> <kebab-case-operation>`. */
export function cliCommand(source: string, eventName: string): string {
  const k = source + eventName;
  let c = commands.get(k);
  if (!c) {
    const prefix = servicePrefix(source);
    if (prefix === 's3' && /Object|Buckets/.test(eventName)) c = /List/.test(eventName) ? 's3.ls' : 's3.cp';
    else
      c = `${prefix}.${eventName
        .replace(/\d{8}(v\d)?$/, '')
        .replace(/([a-z])([A-Z])/g, '$1-$2')
        .toLowerCase()}`;
    commands.set(k, c);
  }
  return c;
}

export const BROWSER_AGENTS = [
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10.15; rv:133.0) Gecko/20100101 Firefox/133.0',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0',
] as const;

export const AGENTS = {
  boto3Lambda:
    'Boto3/1.34.145 md/Botocore#1.34.145 ua/2.0 os/linux#5.10.227-239.884.amzn2.x86_64 md/arch#x86_64 lang/python#3.12.7 md/pyimpl#CPython exec-env/AWS_Lambda_python3.12 cfg/retry-mode#legacy Botocore/1.34.145',
  nodeLambda:
    'aws-sdk-js/3.621.0 ua/2.1 os/linux#5.10.227-239.884.amzn2.x86_64 lang/js md/nodejs#20.18.0 api/s3#3.621.0 exec-env/AWS_Lambda_nodejs20.x',
  javaApp:
    'aws-sdk-java/2.25.60 Linux/5.10.227-219.884.amzn2.x86_64 OpenJDK_64-Bit_Server_VM/21.0.5+11-LTS Java/21.0.5 vendor/Amazon.com_Inc. io/sync http/Apache cfg/retry-mode/legacy',
  nodeApp: 'aws-sdk-js/3.621.0 ua/2.1 os/linux#6.1.112-124.190.amzn2023.x86_64 lang/js md/nodejs#20.18.0 api/s3#3.621.0',
  ssmAgent: 'aws-sdk-go/1.54.20 (go1.22.5; linux; amd64) amazon-ssm-agent/3.3.987.0',
  terraform:
    'APN/1.0 HashiCorp/1.0 Terraform/1.9.8 (+https://www.terraform.io) terraform-provider-aws/5.76.0 (+https://registry.terraform.io/providers/hashicorp/aws) aws-sdk-go-v2/1.32.4 ua/2.1 os/linux lang/go#1.23.2 md/GOOS#linux md/GOARCH#amd64',
  goExporter: 'aws-sdk-go-v2/1.30.3 ua/2.0 os/linux lang/go#1.22.5 md/GOOS#linux md/GOARCH#amd64 app/metrics-exporter',
  backup:
    'Boto3/1.35.36 md/Botocore#1.35.36 ua/2.0 os/linux#5.15.0-1071-aws md/arch#x86_64 lang/python#3.10.12 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.35.36 app/backup-agent',
  legacy:
    'aws-sdk-java/1.12.470 Linux/4.14.343-261.564.amzn2.x86_64 OpenJDK_64-Bit_Server_VM/11.0.23+9-LTS java/11.0.23 vendor/Amazon.com_Inc. cfg/retry-mode/standard',
  console: 'AWS Internal',
  s3Console:
    'S3Console/0.4, aws-internal/3 aws-sdk-java/1.12.750 Linux/5.10.226-192.879.amzn2int.x86_64 OpenJDK_64-Bit_Server_VM/25.412-b09 java/1.8.0_412 vendor/Oracle_Corporation cfg/retry-mode/standard',
  // Kali's kernel string in a boto3 agent is a classic sign of an attacker's toolkit.
  kali: 'Boto3/1.34.69 md/Botocore#1.34.69 ua/2.0 os/linux#6.6.15-amd64 md/arch#x86_64 lang/python#3.11.8 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.34.69 Linux/6.6.15-2kali1-amd64',
  oldCli: 'aws-cli/1.22.34 Python/3.10.12 Linux/5.15.0-1034-aws botocore/1.23.34',
} as const;
