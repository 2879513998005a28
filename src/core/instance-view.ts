// Pure: what may be shown of an instance (never a secret), for summaries, `show` and JSON.
import type { InstanceConfig, LoginMethod, MfaSecret, OktaOrg, Region } from './types.js';
import { hostOf } from './hosts.js';

export interface PublicInstance {
  name: string;
  subdomain: string | null;
  region: Region;
  host: string;
  loginMethod: LoginMethod;
  user: string;
  oktaSubdomain: string | null;
  oktaDomain: string | null;
  mfa: { digits: number; period: number; algorithm: string } | null;
}

export function publicView(instance: { name: string; subdomain: string | null; region: Region; loginMethod: LoginMethod; user: string; okta: OktaOrg | null; mfa?: MfaSecret | null }): PublicInstance {
  return {
    name: instance.name,
    subdomain: instance.subdomain,
    region: instance.region,
    host: hostOf(instance.subdomain, instance.region),
    loginMethod: instance.loginMethod,
    user: instance.user,
    oktaSubdomain: instance.okta?.org ?? null,
    oktaDomain: instance.okta?.domain ?? null,
    mfa: instance.mfa ? { digits: instance.mfa.digits, period: instance.mfa.period, algorithm: instance.mfa.algorithm } : null,
  };
}

export const LOGIN_METHOD_LABEL: Record<LoginMethod, string> = {
  credentials: 'PagerDuty credentials',
  okta: 'Okta SSO',
  azure: 'Microsoft Entra ID (Azure AD) SSO',
};

/** Human summary lines, used by the wizard's end and by `show`. */
export function summaryLines(view: PublicInstance): string[] {
  const lines = [
    `Name:          ${view.name}`,
    `PagerDuty:     https://${view.host} (${view.region.toUpperCase()} service region${view.subdomain ? '' : ', no personalized subdomain'})`,
    `Login method:  ${LOGIN_METHOD_LABEL[view.loginMethod]}`,
    `User:          ${view.user}`,
  ];
  if (view.oktaSubdomain) lines.push(`Okta org:      https://${view.oktaSubdomain}.${view.oktaDomain}`);
  if (view.mfa) lines.push(`2FA codes:     ${view.mfa.digits} digits every ${view.mfa.period} s (${view.mfa.algorithm.toUpperCase()})`);
  return lines;
}

export function secretKindsFor(loginMethod: LoginMethod): Array<'password' | 'mfa-secret'> {
  return loginMethod === 'credentials' ? ['password'] : ['password', 'mfa-secret'];
}

export function configToPublic(config: InstanceConfig): PublicInstance {
  return publicView({ ...config, mfa: null });
}

/**
 * The last question of the wizard, before anything is sent or saved (skipped with --yes): what is about to
 * happen, in one line. null when nothing would happen that needs a yes.
 */
export function reviewQuestion(view: PublicInstance, plan: { test: boolean; store: boolean; verb: 'add' | 'update' }): string | null {
  const via =
    view.loginMethod === 'okta' ? ` through Okta (https://${view.oktaSubdomain}.${view.oktaDomain})` : view.loginMethod === 'azure' ? ' through Microsoft Entra ID' : '';
  const save = plan.verb === 'add' ? `save it as "${view.name}"` : `replace what "${view.name}" has stored`;
  const signIn = `Sign in to https://${view.host} as ${view.user}${via} to test`;
  if (plan.test && plan.store) return `${signIn}, then ${save}?`;
  if (plan.test) return `${signIn} (nothing is saved)?`;
  if (plan.store) return `${save[0]!.toUpperCase()}${save.slice(1)} (${view.user} at https://${view.host}) without a log-in test?`;
  return null;
}
