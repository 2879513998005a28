// Shapes of the connection test's results, as printed in JSON and kept as health.
import type { JsonError } from '../core/errors.js';
import type { LoginMethod, OwnerStatus, Region } from '../core/types.js';
import type { ResolvedInstance } from '../cli/inputs.js';

export const STEP_NAMES = ['open-sign-in', 'credentials', 'idp', 'mfa', 'back-at-pagerduty', 'owner-check'] as const;
export type StepName = (typeof STEP_NAMES)[number];

export const STEP_LABEL: Record<StepName, string> = {
  'open-sign-in': 'Open the PagerDuty sign-in page',
  credentials: 'Sign in with email and password',
  idp: 'Sign in at the identity provider',
  mfa: 'Enter the one-time code',
  'back-at-pagerduty': 'Back at PagerDuty, signed in',
  'owner-check': 'Check the Account Owner role',
};

export interface StepReport {
  name: StepName;
  ok: boolean;
  ms: number;
}

export interface TestResult {
  name: string;
  ok: boolean;
  loginMethod: LoginMethod;
  region: Region;
  owner: OwnerStatus;
  /** How the owner status was decided, for humans. */
  ownerDetail?: string;
  /** A pass that deserves a look: the Account Owner role could not be confirmed. */
  warning?: string;
  durationMs: number;
  /** Time spent waiting for a fresh one-time-code window (Okta, Azure). */
  totpWaitMs?: number;
  /** How far the identity provider's clock is from this machine's (its time minus ours, in ms), when that is
   *  over 5 s: the one-time codes were made for the provider's time. */
  clockSkewMs?: number;
  steps: StepReport[];
  error?: JsonError;
}

export interface TestTarget {
  name: string;
  instance: ResolvedInstance;
  /** In the config (`test <name>`, `update`): fixes may name `update <name>`. Not for `add` or flags-only tests. */
  stored?: boolean;
}

export interface ProgressReporter {
  stepStarted(target: string, step: StepName): void;
  stepEnded(target: string, step: StepName, ok: boolean, ms: number): void;
  /** Something a person watching should know about the current step (a long wait). */
  note?(target: string, text: string): void;
}
