// What an event did, in the one word its colour says: a denied or failed call, a console
// login, a write, or a read. Root activity is a flag on top, drawn as a distinct outline,
// because it matters whatever the outcome. Pure: no DOM.

/** Outcome codes, ordered by how much they should stand out (a mark hiding others shows the highest). */
export const Outcome = { Read: 1, Write: 2, Login: 3, Error: 4 } as const;
export type OutcomeCode = (typeof Outcome)[keyof typeof Outcome];

/** Set on top of an outcome code for activity of the account's root user. */
export const ROOT_FLAG = 0x80;
export const OUTCOME_MASK = 0x7f;

export interface EventFacts {
  readonly eventName?: string | undefined;
  readonly errorCode?: string | undefined;
  /** The readOnly column, when the rows have one (then the name is not guessed from). */
  readonly readOnly?: boolean | undefined;
  readonly identityType?: string | undefined;
  readonly principal?: string | undefined;
}

/** CloudTrail's own convention: these verbs read without changing anything. */
const READ_PREFIXES = ['Describe', 'List', 'Get', 'Lookup', 'Head', 'Search', 'BatchGet'];

export function isReadOnlyName(eventName: string): boolean {
  return READ_PREFIXES.some((prefix) => eventName.startsWith(prefix));
}

export function classifyOutcome(facts: EventFacts): OutcomeCode {
  if (facts.errorCode !== undefined && facts.errorCode !== '') return Outcome.Error;
  const name = facts.eventName ?? '';
  if (name === 'ConsoleLogin') return Outcome.Login;
  const readOnly = facts.readOnly ?? (name === '' ? false : isReadOnlyName(name));
  return readOnly ? Outcome.Read : Outcome.Write;
}

export function isRootActivity(facts: EventFacts): boolean {
  return facts.identityType === 'Root' || (facts.principal !== undefined && facts.principal.endsWith(':root'));
}

/** The outcome code with the root flag: one byte per event in the timeline's typed arrays. */
export function eventClass(facts: EventFacts): number {
  return classifyOutcome(facts) | (isRootActivity(facts) ? ROOT_FLAG : 0);
}

/** A readOnly cell as a boolean: true/false, 'true'/'false'; anything else is unknown. */
export function readOnlyValue(value: unknown): boolean | undefined {
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  return undefined;
}
