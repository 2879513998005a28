export type SandboxFault =
  | 'locked'
  | 'http500'
  | 'drop'
  | 'interstitial'
  | 'phishing-redirect'
  | 'reject-first-code'
  | 'role-hidden'
  | 'entra-account-picker'
  | 'entra-credential-picker'
  | 'entra-passwordless'
  | 'entra-push-denied'
  | 'entra-push-timeout'
  | 'entra-nudge'
  | 'entra-proof-up'
  | 'entra-cmsi'
  | 'mcas-proxy'
  /** PagerDuty hosts answer HTTP 429 (Retry-After) to a log-in that would make more than this many at once. */
  | { rateLimitAt: number }
  | { slowMs: number }
  | { skewSeconds: number };

export interface SampleAccount {
  label: string;
  loginMethod: 'credentials' | 'okta' | 'azure';
  region: 'us' | 'eu';
  subdomain: string | null;
  url: string;
  user: string;
  password: string;
  mfaSecret: string | null;
  oktaSubdomain: string | null;
  role: string;
}

export interface SandboxEvent {
  host: string;
  path: string;
  method: string;
  /** Names of the submitted form fields (or JSON keys), never their values. */
  fields: string[];
}

export interface SandboxHandle {
  port: number;
  spkiHash: string;
  browserArgs: string[];
  accounts: SampleAccount[];
  events: SandboxEvent[];
  close(): Promise<void>;
}

export interface SandboxOptions {
  port?: number;
  faults?: SandboxFault[];
}
