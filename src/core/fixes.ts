// Pure: fixes worded for the situation. A stored instance (`test <name>`, `update`) changes with
// `update <name> <flags>`; one given for this run only (`add`, or `test` with flags) was never stored, so its fix
// is the same command again with the corrected flag: suggesting `update` there names something that does not exist.

export interface FixTarget {
  name: string;
  /** True when the instance is in the config (its values change with `update`). */
  stored: boolean;
}

/** How to give a corrected value: `flags` is what to pass ("--region eu"). */
export function changeFix(target: FixTarget, flags: string): string {
  return target.stored ? `sspm-onboard pagerduty update ${target.name} ${flags}` : `run the command again with ${flags}`;
}

/** A password (or user) the service refused. */
export function loginRejectedFix(target: FixTarget): string {
  return target.stored
    ? `Check the user and the password; store new ones with: sspm-onboard pagerduty update ${target.name}`
    : 'Check the user (--user) and the password, then run the command again.';
}

/** "15 min", "30 s", "2 h": a wait as a person reads it. */
export function describeWait(seconds: number): string {
  if (seconds >= 3600 && seconds % 3600 === 0) return `${seconds / 3600} h`;
  if (seconds >= 60 && seconds % 60 === 0) return `${seconds / 60} min`;
  return `${seconds} s`;
}

export type LockedService = 'PagerDuty' | 'Okta' | 'Microsoft Entra ID';

const UNLOCK: Record<LockedService, string> = {
  PagerDuty: 'ask PagerDuty Support to unlock it',
  Okta: 'have an Okta admin unlock the user (Admin Console: Directory > People > the user > Unlock)',
  'Microsoft Entra ID': 'have an Entra admin unlock the user or reset the password (Entra admin center: Users)',
};

/** A locked account: waiting or an admin's unlock helps; a new password does not, and each try keeps it locked. */
export function lockedFix(service: LockedService, waitSeconds: number | undefined): string {
  const wait = waitSeconds === undefined ? 'Wait until the lock ends' : `Wait ${describeWait(waitSeconds)} (the page's words) for the lock to end`;
  return `${wait} and run the command again, or ${UNLOCK[service]}; do not retry sooner (each try counts as another failed attempt).`;
}
