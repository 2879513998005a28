// The interactive wizard: an ordered list of steps, each asking for one item only when the draft lacks it
// (values from flags or the environment are never asked again). Order follows the PagerDuty onboarding guide;
// against the sandbox the login method comes first, because every sample value offered depends on it.
import { OnboardError, type ErrorCode, type RefusalReason } from '../core/errors.js';
import type { LoginMethod, Region } from '../core/types.js';
import { parsePagerDutyUrl } from '../core/pagerduty-url.js';
import { parseInstanceName, parseOktaOrg, parsePassword, parseSubdomain, parseUser } from '../core/validate.js';
import { defaultName, freeName, settleUser, type Draft } from '../core/draft.js';
import type { Prompter } from './prompter.js';
import { askMfaSecretInteractively, offerEnrollmentCode, type MfaTools } from './mfa-step.js';
import { afterFailedTest, MAX_SECRET_TRIES } from './retry-policy.js';

/** Sample values offered as defaults (the sandbox demo); never needed in production. */
export interface Suggestions {
  url?: string;
  user?: string;
  password?: string;
  loginMethod?: LoginMethod;
  oktaSubdomain?: string;
  mfaSecret?: string;
  /** Put before the name derived from the URL ("sandbox-"), so samples do not take real names. */
  namePrefix?: string;
}

export interface WizardContext {
  prompter: Prompter;
  /** The sandbox's sample values for a login method (undefined: not chosen yet). */
  samplesFor?: (loginMethod: LoginMethod | undefined) => Suggestions;
  /** Names in use: the name prompt's default is never one of them. */
  existingNames?: ReadonlySet<string>;
  /** True when a name is already taken (the wizard re-asks instead of failing at the end). */
  nameTaken?: (name: string) => Promise<boolean>;
  askName?: boolean;
  /** false for --dry-run: nothing is tested or stored, so the password and 2FA secret are not asked. */
  askSecrets?: boolean;
  /** QR screenshots and enrollment codes at the 2FA step (see mfa-step.ts); without them only typed secrets. */
  mfaTools?: MfaTools;
  home?: string;
}

/** Runs a parser as a prompt validator: true when valid, else the parser's one-line reason. */
function validator(parse: (value: string) => unknown): (value: string) => true | string {
  return (value) => {
    try {
      parse(value);
      return true;
    } catch (error) {
      if (error instanceof OnboardError) return error.message;
      throw error;
    }
  };
}

const samples = (draft: Draft, ctx: WizardContext): Suggestions | undefined => ctx.samplesFor?.(draft.loginMethod);

const withSample = (value: string, sample: string | undefined): string => (value === '' && sample !== undefined ? sample : value);

async function askUser(draft: Draft, ctx: WizardContext): Promise<Draft> {
  if (draft.user !== undefined || draft.rawUser !== undefined) return draft;
  const rawUser = await ctx.prompter.input({
    message: 'Account Owner user: the email you sign in to PagerDuty with (for Okta/Azure sign-in, your IdP username)',
    default: samples(draft, ctx)?.user,
    validate: validator((value) => {
      if (value.trim() === '') throw new OnboardError('INVALID_INPUT', 'The user is required (e.g. owner@acme.com).');
      if (draft.loginMethod) parseUser(value, draft.loginMethod, 'user');
    }),
  });
  return settleUser({ ...draft, rawUser: rawUser.trim() });
}

async function askPassword(draft: Draft, ctx: WizardContext): Promise<Draft> {
  if (draft.password !== undefined || ctx.askSecrets === false) return draft;
  const sample = samples(draft, ctx)?.password;
  const password = await ctx.prompter.password({
    message: `Password of that account (the one you type at sign-in)${sample !== undefined ? ' [Enter: the sandbox sample]' : ''}`,
    validate: validator((value) => parsePassword(withSample(value, sample), 'password')),
  });
  return { ...draft, password: withSample(password, sample) };
}

async function askLocation(draft: Draft, ctx: WizardContext): Promise<Draft> {
  if (draft.region !== undefined && draft.subdomain !== undefined) return draft;
  const url = await ctx.prompter.input({
    message: 'Paste any PagerDuty URL of the account (your browser\'s address bar when signed in), or leave blank to type the subdomain',
    default: samples(draft, ctx)?.url,
    validate: validator((value) => (value.trim() === '' ? undefined : parsePagerDutyUrl(value, 'URL'))),
  });
  if (url.trim() !== '') {
    const location = parsePagerDutyUrl(url, 'URL');
    const described = location.subdomain ? `subdomain "${location.subdomain}"` : 'no personalized subdomain';
    const ok = await ctx.prompter.confirm({ message: `That is ${described}, ${location.region.toUpperCase()} service region. Correct?`, default: true });
    if (ok) return { ...draft, subdomain: location.subdomain, region: location.region };
  }
  const subdomain = await ctx.prompter.input({
    message: 'PagerDuty subdomain: "acme" in https://acme.pagerduty.com (blank if you sign in at app.pagerduty.com)',
    validate: validator((value) => parseSubdomain(value, 'subdomain')),
  });
  const region = await ctx.prompter.select<Region>({
    message: 'Service region: EU if your address ends in .eu.pagerduty.com, else US',
    choices: [
      { name: 'US', value: 'us', description: '<subdomain>.pagerduty.com' },
      { name: 'EU', value: 'eu', description: '<subdomain>.eu.pagerduty.com' },
    ],
  });
  return { ...draft, subdomain: parseSubdomain(subdomain, 'subdomain'), region };
}

async function askLoginMethod(draft: Draft, ctx: WizardContext): Promise<Draft> {
  if (draft.loginMethod !== undefined) return draft;
  const loginMethod = await ctx.prompter.select<LoginMethod>({
    message: 'How does the Account Owner sign in? (the button you use on the PagerDuty sign-in page)',
    default: samples(draft, ctx)?.loginMethod,
    choices: [
      { name: 'PagerDuty email and password', value: 'credentials' },
      { name: 'Okta single sign-on', value: 'okta', description: 'needs the Okta subdomain and a Google Authenticator 2FA secret' },
      { name: 'Microsoft Entra ID / Azure AD single sign-on', value: 'azure', description: 'needs the secret of a third-party software OATH token' },
    ],
  });
  return { ...draft, loginMethod };
}

/** With the method known, the user typed earlier may need to be an email: re-ask with the reason. */
async function recheckUser(draft: Draft, ctx: WizardContext): Promise<Draft> {
  if (draft.rawUser === undefined || draft.loginMethod === undefined) return draft;
  const method = draft.loginMethod;
  const check = validator((value) => parseUser(value, method, 'user'));
  const verdict = check(draft.rawUser);
  if (verdict === true) return settleUser(draft);
  ctx.prompter.note(verdict);
  const rawUser = await ctx.prompter.input({ message: 'Account Owner email (PagerDuty credentials sign-in needs the email)', validate: check });
  return settleUser({ ...draft, rawUser: rawUser.trim() });
}

async function askOkta(draft: Draft, ctx: WizardContext): Promise<Draft> {
  if (draft.loginMethod !== 'okta' || draft.okta) return draft;
  const org = await ctx.prompter.input({
    message: 'Okta subdomain: "acme" in https://acme.okta.com, the address of your Okta sign-in page',
    default: samples(draft, ctx)?.oktaSubdomain,
    validate: validator((value) => parseOktaOrg(value, 'Okta subdomain')),
  });
  return { ...draft, okta: parseOktaOrg(org, 'Okta subdomain') };
}

async function askMfaSecret(draft: Draft, ctx: WizardContext): Promise<Draft> {
  if (draft.loginMethod === 'credentials' || draft.loginMethod === undefined || draft.mfa || ctx.askSecrets === false) return draft;
  const idp = draft.loginMethod;
  const mfa = await askMfaSecretInteractively(idp, { prompter: ctx.prompter, tools: ctx.mfaTools, home: ctx.home, sample: samples(draft, ctx)?.mfaSecret });
  await offerEnrollmentCode(idp, mfa, { prompter: ctx.prompter, tools: ctx.mfaTools });
  return { ...draft, mfa };
}

/** The name prompt's default: from the URL's subdomain (or the region), never a name in use (acme, acme-2, ...). */
export function suggestedName(draft: Pick<Draft, 'subdomain' | 'region'>, taken: ReadonlySet<string>, prefix = ''): string {
  return freeName(`${prefix}${defaultName(draft.subdomain ?? null, draft.region ?? 'us')}`, taken);
}

async function askName(draft: Draft, ctx: WizardContext, suggested?: string): Promise<Draft> {
  if (draft.name !== undefined || !ctx.askName) return draft;
  const taken = ctx.existingNames ?? new Set<string>();
  const name = await ctx.prompter.input({
    message: 'Name for this instance in sspm-onboard (used by list, test, update, remove)',
    default: suggested ?? suggestedName(draft, taken, samples(draft, ctx)?.namePrefix),
    validate: validator((value) => parseInstanceName(value, 'name')),
  });
  const parsed = parseInstanceName(name, 'name');
  if (ctx.nameTaken && (await ctx.nameTaken(parsed))) {
    ctx.prompter.note(`An instance named "${parsed}" exists already; choose another name (or use \`sspm-onboard pagerduty update ${parsed}\`).`);
    return askName(draft, ctx, freeName(parsed, new Set([...taken, parsed])));
  }
  return { ...draft, name: parsed };
}

/** What a failed log-in test said, as the command's JSON error carries it. */
export interface TestFailure {
  code: ErrorCode;
  message: string;
  /** "account-locked": the service said so (see REFUSAL_MEANINGS in connect/flow-tables.ts). */
  reason?: RefusalReason;
}

const SECRET_WORDS = { password: 'password', mfa: '2FA secret' } as const;

/**
 * After a failed log-in test (see retry-policy.ts): asks again for just the rejected secret, or whether to test
 * again after a network error. Returns the draft to test next, every other answer kept; null to stop.
 */
export async function askAfterFailedTest(draft: Draft, failure: TestFailure, rejectedTries: number, ctx: WizardContext): Promise<Draft | null> {
  if (draft.loginMethod === undefined) return null;
  const decision = afterFailedTest(failure.code, { rejectedTries, loginMethod: draft.loginMethod, accountLocked: failure.reason === 'account-locked' });
  if (decision.action === 'stop') return null;
  if (decision.action === 'offer-retry') {
    ctx.prompter.note(`The log-in test could not finish: ${failure.message}`);
    return (await ctx.prompter.confirm({ message: 'Test the log-in again with the same answers?', default: true })) ? draft : null;
  }
  const which = decision.action === 'ask-password' ? 'password' : 'mfa';
  ctx.prompter.note(`The log-in test failed: ${failure.message}`);
  ctx.prompter.note(`Type the ${SECRET_WORDS[which]} again (try ${rejectedTries + 1} of ${MAX_SECRET_TRIES}); every other answer is kept.`);
  if (which === 'password') return askPassword({ ...draft, password: undefined }, ctx);
  const idp = draft.loginMethod as 'okta' | 'azure';
  const mfa = await askMfaSecretInteractively(idp, { prompter: ctx.prompter, tools: ctx.mfaTools, home: ctx.home, sample: samples(draft, ctx)?.mfaSecret });
  return { ...draft, mfa };
}

export const WIZARD_STEPS = [askUser, askPassword, askLocation, askLoginMethod, recheckUser, askOkta, askMfaSecret, askName];

/** The steps in asking order: with sample values (the sandbox) the login method first, since they follow it. */
export function wizardSteps(withSamples: boolean): typeof WIZARD_STEPS {
  return withSamples ? [askLoginMethod, ...WIZARD_STEPS.filter((step) => step !== askLoginMethod)] : WIZARD_STEPS;
}

export async function runWizard(draft: Draft, ctx: WizardContext): Promise<Draft> {
  let current = draft;
  for (const step of wizardSteps(ctx.samplesFor !== undefined)) current = await step(current, ctx);
  return current;
}

/** update's first line in the wizard: which instance, and which secrets it is about to ask for. */
export function updateIntro(name: string, current: { user: string; host: string }, asks: { password: boolean; mfaSecret: boolean }): string {
  const what = [asks.password && 'password', asks.mfaSecret && '2FA secret'].filter(Boolean).join(' and ');
  const head = `Updating "${name}" (${current.user} at https://${current.host})`;
  return what ? `${head}: type the new ${what}; everything else stays as stored.` : `${head}.`;
}
