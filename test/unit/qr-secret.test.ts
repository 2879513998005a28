// Pure decisions behind --mfa-secret-qr, the wizard's 2FA step and `code`: what a QR code may hold, which
// image a file is and how big, how a code is shown, and when a shown code waits for the next window.
import { describe, expect, it } from 'vitest';
import { OnboardError } from '../../src/core/errors.js';
import { describeOther, describeQrSecret, otpauthLabel, secretFromQrTexts } from '../../src/core/qr-secret.js';
import { describeFormat, sniffImage } from '../../src/core/image-format.js';
import { codeOfStep, formatCode } from '../../src/core/code-display.js';
import { screenshotPath } from '../../src/wizard/mfa-step.js';
import { nextShownCode } from '../../src/connect/shown-code.js';
import type { CodeLedger } from '../../src/connect/code-ledger.js';

const SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DP';

describe('secretFromQrTexts', () => {
  it('takes the one otpauth://totp code, keeping its parameters, issuer and account', () => {
    const qr = secretFromQrTexts([`otpauth://totp/Okta:owner%40acme.example?secret=${SECRET}&issuer=Okta&digits=8&period=60&algorithm=SHA256`]);
    expect(qr.mfa).toEqual({ secret: SECRET, digits: 8, period: 60, algorithm: 'sha256' });
    expect(describeQrSecret(qr)).toBe('issuer Okta, account owner@acme.example (8 digits every 60 s, SHA256)');
  });

  it('finds the otpauth code among other QR codes in the image', () => {
    expect(secretFromQrTexts(['https://example.com', `otpauth://totp/x?secret=${SECRET}`]).mfa.secret).toBe(SECRET);
  });

  it.each([
    [[], /no QR code was found in the image/],
    [[`otpauth://totp/a?secret=${SECRET}`, `otpauth://totp/b?secret=${SECRET}`], /holds 2 2FA QR codes/],
    [['https://acme.okta.com'], /holds a web address, not an otpauth/],
    [[`otpauth://totp/a?secret=0000`], /not base32/],
  ])('refuses %j', (texts, reason) => {
    let error: unknown;
    try {
      secretFromQrTexts(texts as string[]);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(OnboardError);
    expect((error as OnboardError).code).toBe('INVALID_INPUT');
    expect((error as OnboardError).message).toMatch(reason);
    expect((error as OnboardError).message).not.toContain(SECRET);
  });
});

describe('describeOther never shows the content', () => {
  it.each([
    [`otpauth://hotp/a?secret=${SECRET}&counter=0`, 'a counter-based (HOTP) secret, which PagerDuty sign-ins do not use'],
    ['otpauth-migration://offline?data=abc', 'an authenticator app export (otpauth-migration://)'],
    ['oktaverify://u/?t=1', 'an Okta Verify enrollment (choose Google Authenticator in Okta instead)'],
    ['phonefactor://activate_account?code=1', 'a Microsoft Authenticator enrollment (choose "I want to use a different authenticator app" in Entra instead)'],
    ['HTTPS://x', 'a web address'],
    ['mailto:a@b', 'a "mailto:" address'],
    [SECRET, 'text'],
  ])('%s -> %s', (text, expected) => expect(describeOther(text)).toBe(expected));
});

describe('otpauthLabel', () => {
  it.each([
    ['otpauth://totp/Okta:owner%40acme.example?secret=X&issuer=Okta', 'Okta', 'owner@acme.example'],
    ['otpauth://totp/owner%40acme.example?secret=X&issuer=Acme%20Corp', 'Acme Corp', 'owner@acme.example'],
    ['otpauth://totp/Label:bob?secret=X&issuer=Param', 'Param', 'bob'],
    ['otpauth://totp/bob?secret=X', null, 'bob'],
    ['otpauth://totp/%1B%5B31mEvil:bob%0A?secret=X', '[31mEvil', 'bob'],
    [`otpauth://totp/${'a'.repeat(200)}?secret=X`, null, `${'a'.repeat(79)}…`],
  ])('%s', (uri, issuer, account) => expect(otpauthLabel(uri)).toEqual({ issuer, account }));
});

describe('sniffImage', () => {
  const png = (w: number, h: number) => {
    const b = Buffer.alloc(33);
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(b);
    b.writeUInt32BE(13, 8);
    b.write('IHDR', 12, 'latin1');
    b.writeUInt32BE(w, 16);
    b.writeUInt32BE(h, 20);
    return b;
  };
  // SOI, an APP0 segment, then SOF0 with height 600 and width 800.
  const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x04, 0x00, 0x00, 0xff, 0xc0, 0x00, 0x11, 0x08, 0x02, 0x58, 0x03, 0x20, 0x03]);
  it.each([
    ['png', png(1280, 800), { kind: 'png', width: 1280, height: 800 }],
    ['jpeg', jpeg, { kind: 'jpeg', width: 800, height: 600 }],
    ['truncated png', png(1, 1).subarray(0, 20), null],
    ['jpeg without a frame', Buffer.from([0xff, 0xd8, 0xff, 0xda, 0x00, 0x02]), null],
    ['gif', Buffer.from('GIF89a......'), null],
    ['empty', Buffer.alloc(0), null],
  ])('%s', (_name, bytes, expected) => expect(sniffImage(bytes)).toEqual(expected));

  it.each([
    [Buffer.from('GIF89a......'), 'a GIF image'],
    [Buffer.from('RIFF\0\0\0\0WEBPVP8 '), 'a WebP image'],
    [Buffer.from('%PDF-1.7'), 'a PDF'],
    [Buffer.alloc(0), 'an empty file'],
    [Buffer.from('{"a":1}'), 'a file of an unknown kind'],
  ])('describeFormat %#', (bytes, expected) => expect(describeFormat(bytes)).toBe(expected));
});

describe('showing a code', () => {
  it.each([
    ['123456', '123 456'],
    ['1234567', '123 4567'],
    ['12345678', '1234 5678'],
  ])('formatCode(%s) = %s', (code, shown) => expect(formatCode(code)).toBe(shown));

  it('codeOfStep: RFC 6238 SHA-1 test vector (T = 59 s) and the seconds left', () => {
    const rfc = { secret: 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ', digits: 8 as const, period: 30, algorithm: 'sha1' as const };
    expect(codeOfStep(rfc, 1, 59.5)).toEqual({ code: '94287082', expiresInSeconds: 0 });
    expect(codeOfStep(rfc, 1, 40)).toEqual({ code: '94287082', expiresInSeconds: 20 });
  });

  const ledger = (used: number[] = []): CodeLedger & { recorded: number[] } => {
    const recorded: number[] = [];
    return { recorded, used: () => new Set([...used, ...recorded]), record: (_s, c) => void recorded.push(c) };
  };
  const mfa = { secret: SECRET, digits: 6 as const, period: 30, algorithm: 'sha1' as const };

  it.each([
    ['enough time left: the current code at once', 1000 * 30 + 10, [], 1000, 0],
    ['under 5 s left: waits for the next window', 1000 * 30 + 26, [], 1001, 4000],
    ['current window already used: the next one', 1000 * 30 + 10, [1000], 1001, 20000],
  ])('%s', async (_name, now, used, counter, waitMs) => {
    let clock = now;
    const waits: number[] = [];
    const codes = ledger(used);
    const shown = await nextShownCode(mfa, codes, { now: () => clock, sleep: async (ms) => void (waits.push(ms), (clock += ms / 1000)) });
    expect(shown.counter).toBe(counter);
    expect(waits).toEqual(waitMs ? [waitMs] : []);
    expect(codes.recorded).toEqual([counter]);
    expect(shown.expiresInSeconds).toBe((counter + 1) * 30 - Math.ceil(clock));
  });
});

describe('screenshotPath', () => {
  it.each([
    ['/tmp/qr.png', '/tmp/qr.png'],
    ["'/home/me/Screen Shot.PNG'", '/home/me/Screen Shot.PNG'],
    ['"./shot.jpeg"', './shot.jpeg'],
    ['~/Desktop/qr.jpg', '/home/me/Desktop/qr.jpg'],
    [SECRET, null],
    ['otpauth://totp/a?secret=X', null],
    ['more', null],
  ])('%s', (answer, expected) => expect(screenshotPath(answer, '/home/me')).toBe(expected));
});
