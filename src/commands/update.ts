// `pagerduty update <name>`: re-authenticate. Flags change what they name; in a terminal the wizard asks for
// what the change needs (a new password by default). Tests the log-in, then replaces secrets and config.
import { OnboardError } from '../core/errors.js';
import { publicView, summaryLines } from '../core/instance-view.js';
import { hostOf } from '../core/hosts.js';
import { draftFromSources, finalize, parseSecretStoreKind, type Draft } from '../cli/inputs.js';
import { readSecretInputs } from '../cli/secret-inputs.js';
import { ioCanPrompt, processIo } from '../cli/io.js';
import { parseTimeoutSeconds } from './shared.js';
import { confirmPlan, lastTestOf, probeSecretStore, storeInstance, testBeforeStoring, wizardAskAgain, wizardMfaTools, type AddFlags } from './add.js';
import type { Prompter } from '../wizard/prompter.js';
import type { WizardContext } from '../wizard/wizard.js';
import type { TestResult } from '../connect/types.js';
import { checkSecretFileBeforeSignIn, requireInstance, withSecrets } from './stored.js';
import { guardSignals } from '../cli/signals.js';

export interface UpdateFlags extends AddFlags {
  password?: boolean;
  mfaSecret?: boolean;
}

export async function updateCommand(name: string, flags: UpdateFlags): Promise<void> {
  const io = processIo();
  guardSignals({ json: Boolean(flags.json), idleMessage: `Interrupted; "${name}" was left unchanged.` });
  if (flags.name !== undefined && flags.name !== name) {
    throw new OnboardError('INVALID_INPUT', '--name cannot rename an instance in update.', { fix: `Add it under the new name and remove "${name}".` });
  }
  const config = await requireInstance(name, io);
  const current = await withSecrets(config, io);
  const secrets = await readSecretInputs(flags, io.env, io.stdin);
  const changes = draftFromSources({ ...flags, name: undefined }, io.env, secrets);
  const methodChanged = changes.loginMethod !== undefined && changes.loginMethod !== current.loginMethod;
  const method = changes.loginMethod ?? current.loginMethod;

  // Start from the stored instance and overlay what was given; a new method drops what it does not use.
  let draft: Draft = {
    name,
    subdomain: changes.subdomain !== undefined ? changes.subdomain : current.subdomain,
    region: changes.region ?? current.region,
    loginMethod: method,
    user: changes.user ?? (changes.rawUser === undefined ? current.user : undefined),
    rawUser: changes.rawUser,
    password: changes.password ?? current.password,
    okta: changes.okta ?? (method === 'okta' && !methodChanged ? current.okta : undefined),
    // A different IdP has a different 2FA enrolment: a method change needs a new secret.
    mfa: changes.mfa ?? (method !== 'credentials' && !methodChanged ? current.mfa : undefined),
  };
  const nothingGiven = Object.values(changes).every((v) => v === undefined);
  let prompter: Prompter | undefined;
  let wizard: WizardContext | undefined;
  const storeKind = flags.secretStore !== undefined ? parseSecretStoreKind(flags.secretStore) : config.secretStore;
  if (ioCanPrompt(io, flags.input === false)) {
    // Fail early: the store that will keep the new secrets works before the first question.
    if (!flags.dryRun && flags.store !== false) await probeSecretStore(storeKind, io);
    // Re-authentication asks for a new password unless the user asked for something else.
    if (flags.password || (nothingGiven && !flags.mfaSecret)) draft = { ...draft, password: undefined };
    if (flags.mfaSecret && method !== 'credentials') draft = { ...draft, mfa: undefined };
    const { inquirerPrompter } = await import('../wizard/prompter.js');
    const { runWizard, updateIntro } = await import('../wizard/wizard.js');
    prompter = await inquirerPrompter(flags.json ? io.stderr : io.stdout);
    wizard = { prompter, askName: false, askSecrets: !flags.dryRun, mfaTools: wizardMfaTools(io), home: io.env.HOME };
    const asks = { password: draft.password === undefined, mfaSecret: method !== 'credentials' && !draft.mfa };
    prompter.note(updateIntro(name, { user: current.user, host: hostOf(current.subdomain, current.region) }, flags.dryRun ? { password: false, mfaSecret: false } : asks));
    draft = await runWizard(draft, wizard);
  } else if (nothingGiven) {
    throw new OnboardError('INVALID_INPUT', `Nothing to update for "${name}".`, {
      fix: `Give what changed, e.g. printf %s "$NEW_PASSWORD" | sspm-onboard pagerduty update ${name} --password-stdin`,
    });
  }
  let instance = finalize(draft, `update ${name}`, { secrets: !flags.dryRun });
  const view = publicView(instance);
  if (flags.test !== false) parseTimeoutSeconds(flags.timeout);
  if (flags.dryRun) {
    if (flags.json) io.out(JSON.stringify({ ok: true, ...view, secretStore: storeKind, dryRun: true }));
    else {
      for (const line of summaryLines(view)) io.out(line);
      io.out('Dry run: everything is valid; nothing was changed or tested.');
    }
    return;
  }

  if (prompter && !flags.yes && !(await confirmPlan(prompter, view, flags, 'update'))) {
    io.info(`Nothing was tested; "${name}" was left unchanged.`);
    if (flags.json) io.out(JSON.stringify({ ok: true, ...view, stored: null, test: null, declined: true }));
    return;
  }

  if (flags.store !== false) await checkSecretFileBeforeSignIn(storeKind, io);
  const askAgain = wizard ? await wizardAskAgain(wizard, `update ${name}`) : undefined;
  let result: TestResult | undefined;
  ({ instance, result } = await testBeforeStoring(instance, flags, io, view, `"${name}" was left unchanged.`, true, askAgain));
  if (flags.store === false) {
    io.info(`--no-store: "${name}" was left unchanged.`);
    if (flags.json) io.out(JSON.stringify({ ok: true, ...view, stored: null, test: result ?? null }));
    return;
  }
  const stored = await storeInstance(instance, storeKind, io, { expected: config, lastTest: result ? lastTestOf(result) : undefined });
  if (flags.json) {
    io.out(JSON.stringify({ ok: true, ...view, stored, test: result ?? null }));
    return;
  }
  for (const line of summaryLines(view)) io.out(line);
  io.out(result ? `Log-in test:   passed; Account Owner ${result.owner}` : 'Log-in test:   skipped (--no-test)');
  io.out(`Updated "${name}". Secrets: ${stored.secrets}`);
}
