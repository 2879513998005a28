// `pagerduty show` checks that each secret it lists is really in the keychain (like `gh auth status`), and says
// which one is missing with the command that restores it.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanEnv, findLeak, removeDir, tempDir } from '../helpers/cli.js';
import { RunLog, inKeyring, jsonOf, uniqueName } from './helpers.js';

const root = tempDir('sspm-cli-show-');
const log = new RunLog();
afterAll(() => removeDir(root));

const PASSWORD = 'Show-Check-pw-4417';
const MFA_SECRET = 'KRSXG5CTMVRXEZLUKRSXG5CTMVRXEZLU';

describe.skipIf(!inKeyring)('show checks the secrets are there', () => {
  it('present, then the 2FA secret removed behind its back: exit 8 naming it and the restore command', async () => {
    const name = uniqueName('show');
    const env = cleanEnv({ SSPM_ONBOARD_CONFIG_DIR: path.join(root, 'config'), SSPM_PAGERDUTY_MFA_SECRET: MFA_SECRET });
    const add = await log.run(['pagerduty', 'add', '--name', name, '--url', 'https://acme.pagerduty.com', '--login-method', 'azure', '--user', 'jane@acme.example', '--password-stdin', '--no-test'], { env, input: PASSWORD });
    expect(add.code, add.stderr).toBe(0);

    const healthy = await log.run(['pagerduty', 'show', name], { env });
    expect(healthy.code).toBe(0);
    expect(healthy.stdout).toMatch(/^Password: .*\(present\)$/m);
    expect(healthy.stdout).toMatch(/^2FA secret: .*\(present\)$/m);
    expect(jsonOf(await log.run(['pagerduty', 'show', name, '--json'], { env })).secretStatus).toEqual({ password: 'present', 'mfa-secret': 'present' });

    execFileSync('secret-tool', ['clear', 'service', 'sspm-onboard', 'username', `${name}/mfa-secret`]);
    const broken = await log.run(['pagerduty', 'show', name], { env });
    expect(broken.code).toBe(8);
    expect(broken.stdout).toMatch(/^2FA secret: .*MISSING$/m);
    expect(broken.stdout).toMatch(/^Password: .*\(present\)$/m);
    expect(broken.stderr).toBe(`Error: The 2FA secret of "${name}" is missing from its secret store. Restore it: sspm-onboard pagerduty update ${name} --mfa-secret-file <file with the 2FA secret>\n`);
    const json = await log.run(['pagerduty', 'show', name, '--json'], { env });
    expect(json.code).toBe(8);
    expect(jsonOf(json)).toMatchObject({ ok: false, name, secretStatus: { password: 'present', 'mfa-secret': 'missing' }, error: { code: 'SECRET_STORE' } });

    await log.run(['pagerduty', 'remove', name, '--yes'], { env });
    expect(findLeak(log.outputs, [PASSWORD, MFA_SECRET])).toBeUndefined();
  });
});
