// `npm run demo`: onboards an instance on the built-in sandbox end to end, browser log-in included.
// In a terminal it runs the wizard with the sandbox's sample values offered; otherwise it runs without prompts.
// It works in a throw-away config folder and removes what it stored at the end, so it leaves nothing behind.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkKeychain } from './store/secret-store.js';
import { SAMPLE_ACCOUNTS } from './sandbox/world.js';
import { DEMO_ACCOUNT_LABEL, demoInstanceName } from './commands/demo-suggestions.js';

const CLI = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../bin/sspm-onboard.cjs');

function run(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { env, stdio: 'inherit' });
    child.on('close', (code, signal) => resolve(code ?? (signal === 'SIGINT' ? 130 : 1)));
  });
}

async function main(): Promise<number> {
  const configDir = mkdtempSync(path.join(os.tmpdir(), 'sspm-onboard-demo-'));
  const env: NodeJS.ProcessEnv = { ...process.env, SSPM_ONBOARD_CONFIG_DIR: configDir };
  const say = (line: string) => process.stderr.write(`${line}\n`);
  try {
    const keychain = await checkKeychain({ env });
    const store = keychain.ok ? [] : ['--no-store'];
    say('sspm-onboard demo: the sandbox emulates PagerDuty, Okta and Microsoft Entra sign-in on this machine;');
    say('the browser goes to the real addresses, routed to the sandbox. All accounts and secrets are fake.');
    if (keychain.ok) say(`Secrets go to the ${keychain.backend}; the demo removes them at the end.`);
    else say(`No usable keychain here (${keychain.error.message}), so the demo tests the log-in and stores nothing (--no-store).`);
    say('');

    const account = SAMPLE_ACCOUNTS.find((a) => a.label === DEMO_ACCOUNT_LABEL)!;
    const name = demoInstanceName();
    const interactive = Boolean(process.stdin.isTTY && process.stdout.isTTY) && !process.env.CI;
    let code: number;
    if (interactive) {
      say('Press Enter to accept each offered sample value.');
      code = await run(['pagerduty', 'add', '--sandbox', ...store], env);
    } else {
      code = await run(
        ['pagerduty', 'add', '--sandbox', '--no-input', '--name', name, '--url', account.url, '--login-method', account.loginMethod, '--user', account.user,
          '--okta-subdomain', account.oktaSubdomain!, ...store],
        { ...env, SSPM_PAGERDUTY_PASSWORD: account.password, SSPM_PAGERDUTY_MFA_SECRET: account.mfaSecret! },
      );
    }
    if (code !== 0) return code;
    if (!keychain.ok) {
      say('\nDemo complete: the log-in test passed; nothing was stored because there is no keychain service.');
      return 0;
    }
    say('\n$ sspm-onboard pagerduty list');
    await run(['pagerduty', 'list'], env);
    const stored = interactive ? undefined : name;
    if (stored) {
      say(`\n$ sspm-onboard pagerduty test ${stored} --sandbox`);
      code = await run(['pagerduty', 'test', stored, '--sandbox'], env);
    }
    say('\nCleaning up: removing the demo instance and its keychain entries.');
    const { readInstances } = await import('./store/config-store.js');
    for (const instance of await readInstances(env)) await run(['pagerduty', 'remove', instance.name, '--yes'], env);
    say(code === 0 ? '\nDemo complete.' : '\nDemo failed.');
    return code;
  } finally {
    rmSync(configDir, { recursive: true, force: true });
  }
}

process.exitCode = await main();
