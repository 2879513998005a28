// `pagerduty add`: collect (flags, env, wizard), validate, test the log-in, then store secrets and config
// so that either everything is saved or nothing is.
import { OnboardError } from '../core/errors.js';
import { publicView, reviewQuestion, secretKindsFor, summaryLines, type PublicInstance } from '../core/instance-view.js';
import type { Prompter } from '../wizard/prompter.js';
import type { MfaTools } from '../wizard/mfa-step.js';
import type { TestFailure, WizardContext } from '../wizard/wizard.js';
import { isSecretRejection } from '../wizard/retry-policy.js';
import type { InstanceConfig, SecretStoreKind } from '../core/types.js';
import { mfaToUri } from '../core/mfa-uri.js';
import { describeQrSecret } from '../core/qr-secret.js';
import { draftFromSources, finalize, parseSecretStoreKind, unusedOptions, type Draft, type InstanceFlags, type ResolvedInstance } from '../cli/inputs.js';
import { readSecretInputs } from '../cli/secret-inputs.js';
import { ioCanPrompt, processIo, type Io } from '../cli/io.js';
import { critical, guardSignals } from '../cli/signals.js';
import { checkSecretFileBeforeSignIn, openStore } from './stored.js';
import { parseTimeoutSeconds, prepareBrowserRun, type BrowserFlags } from './shared.js';
import { runTestsWithOutput } from './test-output.js';
import type { TestResult } from '../connect/types.js';
import type { SecretChange } from '../store/save-transaction.js';

export interface AddFlags extends InstanceFlags, BrowserFlags {
  json?: boolean;
  input?: boolean;
  yes?: boolean;
  store?: boolean;
  dryRun?: boolean;
  test?: boolean;
}

export interface StoredWhere {
  config: string;
  secrets: string;
}

/**
 * Claims the name and saves secrets then config under the config lock (see src/store/save-transaction.ts): all or
 * nothing, and a signal meanwhile undoes the save. `expected` (update) is the entry as read at the start: if another
 * run changed or removed it since, nothing is saved.
 */
export async function storeInstance(
  instance: ResolvedInstance,
  kind: SecretStoreKind,
  io: Io,
  opts: { expected?: InstanceConfig; lastTest?: InstanceConfig['lastTest'] },
): Promise<StoredWhere> {
  const [{ configPath }, { saveTransaction }, { critical, interruptPending }] = await Promise.all([
    import('../store/config-store.js'),
    import('../store/save-transaction.js'),
    import('../cli/signals.js'),
  ]);
  const store = await openStore(kind, io);
  const expected = opts.expected;
  const uses = secretKindsFor(instance.loginMethod);
  const changes: SecretChange[] = [{ secret: 'password', value: instance.password }];
  if (instance.mfa) changes.push({ secret: 'mfa-secret', value: mfaToUri(instance.mfa) });
  // A method change (e.g. Okta to credentials) leaves a secret the instance no longer uses: remove it too.
  if (expected && !uses.includes('mfa-secret')) changes.push({ secret: 'mfa-secret', value: null });
  const unchanged = expected ? `"${instance.name}" was left unchanged` : 'nothing was saved';
  await critical(
    () =>
      saveTransaction({
        store,
        instance: instance.name,
        changes,
        restorePrevious: expected !== undefined,
        interrupted: interruptPending,
        interruptedMessage: `Interrupted; ${unchanged}.`,
        env: io.env,
        claim: (instances) => {
          const existing = instances.get(instance.name);
          if (!expected) {
            if (existing) throw nameTakenError(instance.name);
          } else if (!existing) {
            throw new OnboardError('INVALID_INPUT', `"${instance.name}" was removed by another run meanwhile; nothing was saved.`, {
              fix: `Add it again: sspm-onboard pagerduty add --name ${instance.name}`,
            });
          } else if (existing.updatedAt !== expected.updatedAt || existing.secretStore !== expected.secretStore) {
            throw new OnboardError('INVALID_INPUT', `"${instance.name}" was changed by another run meanwhile; ${unchanged}.`, {
              fix: `Run the update again: sspm-onboard pagerduty update ${instance.name}`,
            });
          }
        },
        apply: (instances) => {
          const now = new Date().toISOString();
          // As read under the lock: a `test` may have recorded a newer result since this run started.
          const current = instances.get(instance.name);
          const lastTest = opts.lastTest ?? current?.lastTest;
          instances.set(instance.name, {
            name: instance.name,
            subdomain: instance.subdomain,
            region: instance.region,
            loginMethod: instance.loginMethod,
            user: instance.user,
            okta: instance.okta,
            secretStore: kind,
            createdAt: current?.createdAt ?? now,
            updatedAt: now,
            ...(lastTest ? { lastTest } : {}),
          });
        },
      }),
    ({ error }) => (error ? `Interrupted; ${unchanged}.` : `Interrupted after saving "${instance.name}" (its config entry and its secrets in ${store.location}).`),
  );
  if (expected && expected.secretStore !== kind) {
    // Moved to another store: the copies in the old one are no longer referenced.
    const old = await openStore(expected.secretStore, io);
    await critical(
      async () => {
        await old.delete(instance.name, 'password');
        await old.delete(instance.name, 'mfa-secret');
      },
      () => `Interrupted after saving "${instance.name}" and removing its old copies from ${old.location}.`,
    );
  }
  return { config: configPath(io.env), secrets: store.location };
}

/** The wizard's answer to a failed log-in test: the instance to test next, or null to stop (see askAfterFailedTest). */
export type AskAfterFailure = (instance: ResolvedInstance, failure: TestFailure, rejectedTries: number) => Promise<ResolvedInstance | null>;

/**
 * The log-in test that add and update run before they write anything (skipped with --no-test). In the wizard
 * (`askAgain`), a rejected secret is asked again and a network error offers another try; the instance returned is
 * the one that passed. A failure is thrown with `unchanged` appended and the test result attached for the JSON document.
 */
export async function testBeforeStoring(
  instance: ResolvedInstance,
  flags: AddFlags,
  io: Io,
  view: PublicInstance,
  unchanged: string,
  /** update: the instance is stored, so a fix may name `update <name>`; add: nothing is. */
  stored = false,
  askAgain?: AskAfterFailure,
): Promise<{ instance: ResolvedInstance; result?: TestResult }> {
  if (flags.test === false) return { instance };
  const run = await prepareBrowserRun(flags, io);
  let current = instance;
  let rejectedTries = 0;
  try {
    for (;;) {
      const [result] = (await runTestsWithOutput([{ name: current.name, instance: current, stored }], run, io, { json: false, quietJson: Boolean(flags.json) })) as [TestResult];
      if (result.ok) return { instance: current, result };
      if (isSecretRejection(result.error!.code)) rejectedTries += 1;
      const next = askAgain ? await askAgain(current, result.error!, rejectedTries) : null;
      if (next === null) {
        // The command's JSON document (printed once, by the error handler) carries the test result too.
        throw new OnboardError(result.error!.code, `${result.error!.message} ${unchanged}`, { fix: result.error!.fix ?? undefined, json: { ...view, stored: null, test: result } });
      }
      current = next;
    }
  } finally {
    await run.close();
  }
}

/** The wizard's retry for testBeforeStoring: asks, then completes the draft again. */
export async function wizardAskAgain(ctx: WizardContext, command: string): Promise<AskAfterFailure> {
  const { askAfterFailedTest } = await import('../wizard/wizard.js');
  return async (instance, failure, rejectedTries) => {
    const next = await askAfterFailedTest(instance, failure, rejectedTries, ctx);
    return next === null ? null : finalize(next, command);
  };
}

/** Before the first question, and again before any sign-in: the store that will keep the secrets works (the
 *  keychain takes a throw-away write; the encrypted file's passphrase is at hand and opens it). */
export async function probeSecretStore(kind: SecretStoreKind, io: Io): Promise<void> {
  if (kind === 'keychain') {
    const { checkKeychain } = await import('../store/secret-store.js');
    // Deferred signals: the probe's throw-away entry is always deleted before the run ends.
    const keychain = await critical(() => checkKeychain({ env: io.env }), () => 'Interrupted; nothing was saved.');
    if (!keychain.ok) throw keychain.error;
  }
  await checkSecretFileBeforeSignIn(kind, io);
}

export function nameTakenError(name: string): OnboardError {
  return new OnboardError('INVALID_INPUT', `An instance named "${name}" exists already.`, {
    fix: `To change it, run: sspm-onboard pagerduty update ${name} (or choose another --name).`,
  });
}

export function lastTestOf(result: TestResult): InstanceConfig['lastTest'] {
  return { at: new Date().toISOString(), ok: result.ok, owner: result.owner, durationMs: result.durationMs, ...(result.error ? { errorCode: result.error.code } : {}) };
}

export async function addCommand(flags: AddFlags): Promise<void> {
  const io = processIo();
  guardSignals({ json: Boolean(flags.json), idleMessage: 'Interrupted; nothing was saved.' });
  const storeKind = parseSecretStoreKind(flags.secretStore);
  const secrets = await readSecretInputs(flags, io.env, io.stdin);
  if (secrets.mfaQr) io.info(`2FA secret from the QR code: ${describeQrSecret(secrets.mfaQr)}.`);
  let draft: Draft = draftFromSources(flags, io.env, secrets);
  const interactive = ioCanPrompt(io, flags.input === false);
  const { getInstance, readInstances } = await import('../store/config-store.js');
  let prompter: Prompter | undefined;
  let wizard: WizardContext | undefined;
  if (interactive) {
    // Fail early: a keychain or passphrase problem shows before the first question, not after the last.
    if (!flags.dryRun && flags.store !== false) await probeSecretStore(storeKind, io);
    const { inquirerPrompter } = await import('../wizard/prompter.js');
    const { runWizard } = await import('../wizard/wizard.js');
    prompter = await inquirerPrompter(flags.json ? io.stderr : io.stdout);
    if (flags.dryRun) prompter.note('Dry run: the password and 2FA secret are not asked; nothing is tested or stored.');
    wizard = {
      prompter,
      samplesFor: flags.sandbox ? await sandboxSamples() : undefined,
      existingNames: new Set((await readInstances(io.env)).map((instance) => instance.name)),
      mfaTools: wizardMfaTools(io),
      home: io.env.HOME,
      askName: !flags.dryRun,
      askSecrets: !flags.dryRun,
      nameTaken: async (name) => (await getInstance(name, io.env)) !== undefined,
    };
    draft = await runWizard(draft, wizard);
  }
  let instance = finalize(draft, 'add', { secrets: !flags.dryRun });
  for (const option of unusedOptions(draft)) io.info(`Note: the ${option} is not used with --login-method ${instance.loginMethod}; ignored.`);
  const view = publicView(instance);
  // --dry-run validates everything, the browser options included.
  if (flags.test !== false) parseTimeoutSeconds(flags.timeout);

  if (flags.dryRun) {
    if (flags.json) io.out(JSON.stringify({ ok: true, ...view, secretStore: flags.store === false ? null : storeKind, dryRun: true }));
    else {
      for (const line of summaryLines(view)) io.out(line);
      io.out('Dry run: everything is valid; nothing was stored or tested.');
    }
    return;
  }

  if (prompter && !flags.yes && !(await confirmPlan(prompter, view, flags, 'add'))) {
    io.info('Nothing was tested or stored.');
    if (flags.json) io.out(JSON.stringify({ ok: true, ...view, stored: null, test: null, declined: true }));
    return;
  }

  if (flags.store !== false) {
    if (await getInstance(instance.name, io.env)) throw nameTakenError(instance.name);
    // Learn that the store is unusable before the log-in test, not after it (again after the wizard: a keychain
    // may lock while questions are answered; the file's passphrase is not asked twice).
    await probeSecretStore(storeKind, io);
  }

  const askAgain = wizard ? await wizardAskAgain(wizard, 'add') : undefined;
  let result: TestResult | undefined;
  ({ instance, result } = await testBeforeStoring(instance, flags, io, view, 'Nothing was stored.', false, askAgain));

  let stored: StoredWhere | null = null;
  if (flags.store !== false) stored = await storeInstance(instance, storeKind, io, { lastTest: result ? lastTestOf(result) : undefined });

  if (flags.json) {
    io.out(JSON.stringify({ ok: true, ...view, stored, test: result ?? null }));
    return;
  }
  io.out('');
  for (const line of summaryLines(view)) io.out(line);
  if (result) io.out(`Log-in test:   passed in ${(result.durationMs / 1000).toFixed(1)} s; Account Owner ${result.owner}`);
  else io.out('Log-in test:   skipped (--no-test)');
  if (stored) {
    io.out(`Secrets:       ${stored.secrets}`);
    io.out(`Config:        ${stored.config}`);
    io.out('');
    io.out(`Next: \`sspm-onboard pagerduty test ${instance.name}\` re-tests it; \`sspm-onboard pagerduty list\` shows all instances.`);
  } else {
    io.out('Stored:        nothing (--no-store)');
  }
}

/** The wizard's last question (see reviewQuestion); true when there is nothing to ask. */
export async function confirmPlan(prompter: Prompter, view: PublicInstance, flags: AddFlags, verb: 'add' | 'update'): Promise<boolean> {
  const question = reviewQuestion(view, { test: flags.test !== false, store: flags.store !== false, verb });
  return question === null || prompter.confirm({ message: question, default: true });
}

/** The wizard's 2FA helpers: QR screenshots, and enrollment codes recorded in the code ledger. */
export function wizardMfaTools(io: Io): MfaTools {
  return {
    readQr: async (path) => (await import('../cli/qr-image.js')).readQrSecret(path, 'Screenshot'),
    showCode: async (mfa) => {
      const { fileCodeLedger, ledgerDir } = await import('../connect/code-ledger.js');
      const { nextShownCode } = await import('../connect/shown-code.js');
      return nextShownCode(mfa, fileCodeLedger(ledgerDir(io.env)));
    },
  };
}

async function sandboxSamples() {
  const { sampleSuggestionsFor } = await import('./demo-suggestions.js');
  return sampleSuggestionsFor;
}
