// The wizard's 2FA step: where the secret comes from (short, "more" for the steps), the secret typed or a path to
// a screenshot of the enrollment QR code, then, if the IdP's enrollment screen is waiting, the current code to
// type there. Reading images and the code ledger come in as MfaTools, so this module stays free of I/O.
import { OnboardError } from '../core/errors.js';
import { formatCode } from '../core/code-display.js';
import { MFA_GUIDES, mfaGuideLines, type MfaIdp } from '../core/mfa-guide.js';
import { parseMfaSecret } from '../core/mfa-secret.js';
import { describeQrSecret, type QrSecret } from '../core/qr-secret.js';
import type { MfaSecret } from '../core/types.js';
import type { Prompter } from './prompter.js';

export interface MfaTools {
  readQr(path: string): Promise<QrSecret>;
  /** The code to type now (recorded as used), and the seconds it stays valid. */
  showCode(mfa: MfaSecret): Promise<{ code: string; expiresInSeconds: number }>;
}

const IDP_NAME: Record<MfaIdp, string> = { okta: 'Okta', azure: 'Entra' };

/** The path of a QR screenshot when the answer is one (quotes from drag and drop removed, ~ expanded); else null. */
export function screenshotPath(answer: string, home: string | undefined): string | null {
  let value = answer.trim();
  if (/^(['"]).*\1$/.test(value)) value = value.slice(1, -1);
  if (!/\.(png|jpe?g)$/i.test(value)) return null;
  if (value.startsWith('~/') && home) value = `${home}/${value.slice(2)}`;
  return value;
}

const isMore = (answer: string) => /^\s*(more|\?)\s*$/i.test(answer);

export interface MfaStepContext {
  prompter: Prompter;
  tools?: MfaTools;
  home?: string;
  /** The sandbox sample secret, taken on a blank answer. */
  sample?: string;
}

/** Asks until it has a secret: "more" prints the steps, a screenshot path is decoded and confirmed. */
export async function askMfaSecretInteractively(idp: MfaIdp, ctx: MfaStepContext): Promise<MfaSecret> {
  const { prompter, tools, sample } = ctx;
  const withSample = (value: string) => (value === '' && sample !== undefined ? sample : value);
  prompter.note(`${MFA_GUIDES[idp].short} Type "more" for the steps.`);
  for (;;) {
    const answer = await prompter.password({
      message: `2FA secret: base32 key, otpauth:// URI${tools ? ', or the path of a screenshot of the QR code' : ''}${sample !== undefined ? ' [Enter: the sandbox sample]' : ''}`,
      validate: (value) => {
        if (isMore(value) || (tools && screenshotPath(value, ctx.home) !== null)) return true;
        try {
          parseMfaSecret(withSample(value), '2FA secret');
          return true;
        } catch (error) {
          if (error instanceof OnboardError) return error.message;
          throw error;
        }
      },
    });
    if (isMore(answer)) {
      for (const line of mfaGuideLines(idp)) prompter.note(line);
      continue;
    }
    const path = tools ? screenshotPath(answer, ctx.home) : null;
    if (path === null || !tools) return parseMfaSecret(withSample(answer), '2FA secret');
    let qr: QrSecret;
    try {
      qr = await tools.readQr(path);
    } catch (error) {
      if (!(error instanceof OnboardError)) throw error;
      prompter.note(error.fix ? `${error.message} ${error.fix}` : error.message);
      continue;
    }
    if (await prompter.confirm({ message: `The QR code is for ${describeQrSecret(qr)}. Use it?`, default: true })) return qr.mfa;
  }
}

/** If the IdP's enrollment screen waits for a code, shows it (a fresh one on "new") until the user presses Enter. */
export async function offerEnrollmentCode(idp: MfaIdp, mfa: MfaSecret, ctx: { prompter: Prompter; tools?: MfaTools }): Promise<void> {
  if (!ctx.tools) return;
  const name = IDP_NAME[idp];
  const waiting = await ctx.prompter.confirm({ message: `Is ${name} asking for a code to finish setting up the authenticator? (sspm-onboard shows it)`, default: true });
  if (!waiting) return;
  for (;;) {
    const shown = await ctx.tools.showCode(mfa);
    ctx.prompter.note(`Type ${formatCode(shown.code)} in ${name} to finish enrolling; valid ${shown.expiresInSeconds} s more.`);
    const answer = await ctx.prompter.input({ message: `Press Enter once ${name} accepted it (type "new" for the next code)` });
    if (answer.trim().toLowerCase() !== 'new') return;
  }
}
