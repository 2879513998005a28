// Shapes shared by the commands, the stores and the connection test.

export type Region = 'us' | 'eu';
export type LoginMethod = 'credentials' | 'okta' | 'azure';
export type SecretStoreKind = 'keychain' | 'file';
export type OktaDomain = 'okta.com' | 'oktapreview.com' | 'okta-emea.com';
export type SecretKind = 'password' | 'mfa-secret';

export interface OktaOrg {
  org: string;
  domain: OktaDomain;
}

/** A parsed 2FA secret: base32 key plus the otpauth parameters that shape the codes. */
export interface MfaSecret {
  secret: string;
  digits: 6 | 7 | 8;
  period: number;
  algorithm: 'sha1' | 'sha256' | 'sha512';
}

export type OwnerStatus = 'verified' | 'not-owner' | 'unverified';

export interface LastTest {
  at: string;
  ok: boolean;
  owner?: OwnerStatus;
  errorCode?: string;
  durationMs: number;
}

/** What the config file keeps per instance: never a secret. */
export interface InstanceConfig {
  name: string;
  subdomain: string | null;
  region: Region;
  loginMethod: LoginMethod;
  user: string;
  okta: OktaOrg | null;
  secretStore: SecretStoreKind;
  createdAt: string;
  updatedAt: string;
  lastTest?: LastTest;
}

/** An instance with its secrets in memory, as the connection test needs it. */
export interface InstanceWithSecrets {
  config: Omit<InstanceConfig, 'createdAt' | 'updatedAt' | 'secretStore' | 'lastTest'>;
  password: string;
  mfa: MfaSecret | null;
}
