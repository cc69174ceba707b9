// MITRE ATT&CK (Enterprise, cloud) as a responder reads it: tactics by name, in the order an
// intrusion goes, and the names of the techniques runbooks are tagged with. Tags stay ids in
// the runbook (they diff and search well); the Runbooks view shows them as names. An id not
// listed here is shown as it is.

/** Tactic tags (as runbooks write them), in ATT&CK's order, with their names. */
export const TACTICS: readonly { readonly tag: string; readonly name: string }[] = [
  { tag: 'reconnaissance', name: 'Reconnaissance' },
  { tag: 'resource-development', name: 'Resource Development' },
  { tag: 'initial-access', name: 'Initial Access' },
  { tag: 'execution', name: 'Execution' },
  { tag: 'persistence', name: 'Persistence' },
  { tag: 'privilege-escalation', name: 'Privilege Escalation' },
  { tag: 'defense-evasion', name: 'Defense Evasion' },
  { tag: 'credential-access', name: 'Credential Access' },
  { tag: 'discovery', name: 'Discovery' },
  { tag: 'lateral-movement', name: 'Lateral Movement' },
  { tag: 'collection', name: 'Collection' },
  { tag: 'command-and-control', name: 'Command and Control' },
  { tag: 'exfiltration', name: 'Exfiltration' },
  { tag: 'impact', name: 'Impact' },
];

const TECHNIQUES: Readonly<Record<string, string>> = {
  T1059: 'Command and Scripting Interpreter',
  T1069: 'Permission Groups Discovery',
  'T1069.003': 'Cloud Groups',
  T1078: 'Valid Accounts',
  'T1078.004': 'Cloud Accounts',
  T1087: 'Account Discovery',
  'T1087.004': 'Cloud Account Discovery',
  T1098: 'Account Manipulation',
  'T1098.001': 'Additional Cloud Credentials',
  'T1098.003': 'Additional Cloud Roles',
  T1110: 'Brute Force',
  T1136: 'Create Account',
  'T1136.003': 'Create Cloud Account',
  T1190: 'Exploit Public-Facing Application',
  'T1484.002': 'Trust Modification',
  T1485: 'Data Destruction',
  T1486: 'Data Encrypted for Impact',
  T1496: 'Resource Hijacking',
  T1525: 'Implant Internal Image',
  T1526: 'Cloud Service Discovery',
  T1529: 'System Shutdown/Reboot',
  T1530: 'Data from Cloud Storage',
  T1531: 'Account Access Removal',
  T1537: 'Transfer Data to Cloud Account',
  T1538: 'Cloud Service Dashboard',
  T1546: 'Event Triggered Execution',
  T1550: 'Use Alternate Authentication Material',
  'T1550.001': 'Application Access Token',
  'T1552.005': 'Cloud Instance Metadata API',
  T1562: 'Impair Defenses',
  'T1562.001': 'Disable or Modify Tools',
  'T1562.007': 'Disable or Modify Cloud Firewall',
  'T1562.008': 'Disable or Modify Cloud Logs',
  T1578: 'Modify Cloud Compute Infrastructure',
  'T1578.002': 'Create Cloud Instance',
  T1580: 'Cloud Infrastructure Discovery',
  T1621: 'Multi-Factor Authentication Request Generation',
  T1651: 'Cloud Administration Command',
};

const TECHNIQUE_ID = /^T\d{4}(\.\d{3})?$/i;

export function isTechniqueId(tag: string): boolean {
  return TECHNIQUE_ID.test(tag);
}

/** `T1562.008` → `Disable or Modify Cloud Logs (T1562.008)`; an unknown id as it is. */
export function techniqueName(id: string): string {
  const name = TECHNIQUES[id.toUpperCase()];
  return name ? `${name} (${id.toUpperCase()})` : id.toUpperCase();
}
