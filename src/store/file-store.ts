// Encrypted secret file: secrets.enc.json in the config folder, never plain text.
// Key = scrypt(passphrase, per-file random salt); each entry is AES-256-GCM with its own random 12-byte IV
// and the entry name as additional data (so an entry cannot be moved to another name unnoticed).
// A "check" value encrypted with the same key tells a wrong passphrase apart from a damaged entry,
// and stops a second passphrase from ever mixing keys within one file.
import { createCipheriv, createDecipheriv, randomBytes, scrypt as scryptCb, type ScryptOptions } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { OnboardError } from '../core/errors.js';
import type { SecretKind } from '../core/types.js';
import { ensurePrivateDir, parseVersionedJson, tightenFileMode, withFileLock, writePrivateFile } from './fs-util.js';
import { secretAccount, type SecretStore } from './secret-store.js';

export const SECRET_FILE = 'secrets.enc.json';
export const SECRET_FILE_VERSION = 1;
export const PASSPHRASE_ENV = 'SSPM_ONBOARD_PASSPHRASE';

const KEY_LENGTH = 32;
const IV_LENGTH = 12;
const SALT_LENGTH = 16;
const DEFAULT_KDF = { name: 'scrypt' as const, N: 2 ** 15, r: 8, p: 1 };
const CHECK_NAME = '\u0000sspm-onboard-passphrase-check';
const CHECK_PLAINTEXT = 'sspm-onboard';

const b64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/);
const sealedSchema = z.object({ iv: b64, tag: b64, data: b64 });
const fileSchema = z.object({
  version: z.literal(SECRET_FILE_VERSION),
  kdf: z.object({
    name: z.literal('scrypt'),
    N: z.number().int().min(2 ** 14).max(2 ** 22),
    r: z.number().int().min(1).max(32),
    p: z.number().int().min(1).max(16),
  }),
  salt: b64,
  check: sealedSchema,
  entries: z.record(z.string(), sealedSchema),
});
type SecretFile = z.infer<typeof fileSchema>;
type Sealed = z.infer<typeof sealedSchema>;

export function secretFilePath(configFolder: string): string {
  return path.join(configFolder, SECRET_FILE);
}

function scrypt(passphrase: string, salt: Buffer, kdf: SecretFile['kdf']): Promise<Buffer> {
  const options: ScryptOptions = { N: kdf.N, r: kdf.r, p: kdf.p, maxmem: 256 * kdf.N * kdf.r + 16 * 1024 * 1024 };
  return new Promise((resolve, reject) => {
    scryptCb(passphrase.normalize('NFC'), salt, KEY_LENGTH, options, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

function seal(key: Buffer, name: string, plaintext: string): Sealed {
  const iv = randomBytes(IV_LENGTH);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(name, 'utf8'));
  const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return { iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), data: data.toString('base64') };
}

/** The plaintext, or null when the key or the name does not fit (GCM authentication failed). */
function open(key: Buffer, name: string, sealed: Sealed): string | null {
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(sealed.iv, 'base64'));
    decipher.setAAD(Buffer.from(name, 'utf8'));
    decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(sealed.data, 'base64')), decipher.final()]).toString('utf8');
  } catch {
    return null;
  }
}

function unreadable(file: string, why: string, cause?: unknown): OnboardError {
  return new OnboardError('SECRET_STORE', `The encrypted secret file ${file} ${why}; it was left untouched.`, {
    fix: `Restore it from a backup, or move it away (mv ${file} ${file}.bak) and add the instances again.`,
    cause,
  });
}

export function parseSecretFile(text: string, file: string): SecretFile {
  const raw = parseVersionedJson(text, SECRET_FILE_VERSION, {
    invalid: (cause) => unreadable(file, 'is not valid JSON', cause),
    newer: (version) =>
      new OnboardError('SECRET_STORE', `The encrypted secret file ${file} has version ${version}, written by a newer sspm-onboard; it was left untouched.`, {
        fix: 'Upgrade sspm-onboard (npm install -g sspm-onboard@latest).',
      }),
  });
  const parsed = fileSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? ` at ${issue.path.join('.')}` : '';
    throw unreadable(file, `does not match the expected format${where}`, parsed.error);
  }
  return parsed.data;
}

export interface FileStoreOptions {
  env?: NodeJS.ProcessEnv;
  passphrase?: () => Promise<string>;
  /** scrypt cost for new files (tests may lower it); existing files keep their own. */
  kdfN?: number;
}

export class EncryptedFileStore implements SecretStore {
  readonly kind = 'file' as const;
  readonly location: string;
  private passphrase: Promise<string> | undefined;
  private keyCache: { salt: string; kdf: string; key: Buffer } | undefined;

  constructor(
    readonly file: string,
    private readonly options: FileStoreOptions = {},
  ) {
    this.location = file;
  }

  async set(instance: string, secret: SecretKind, value: string): Promise<void> {
    const name = secretAccount(instance, secret);
    await ensurePrivateDir(path.dirname(this.file));
    await withFileLock(this.file, async (assertLockHeld) => {
      let data = await this.read();
      let key: Buffer;
      if (data) {
        key = await this.unlock(data);
      } else {
        const kdf = { ...DEFAULT_KDF, N: this.options.kdfN ?? DEFAULT_KDF.N };
        const salt = randomBytes(SALT_LENGTH).toString('base64');
        key = await this.deriveKey(salt, kdf);
        data = { version: SECRET_FILE_VERSION, kdf, salt, check: seal(key, CHECK_NAME, CHECK_PLAINTEXT), entries: {} };
      }
      data.entries[name] = seal(key, name, value);
      assertLockHeld();
      await writePrivateFile(this.file, serialize(data));
    });
  }

  async get(instance: string, secret: SecretKind): Promise<string | null> {
    const name = secretAccount(instance, secret);
    const data = await this.read();
    if (!data) return null;
    const key = await this.unlock(data);
    const sealed = data.entries[name];
    if (!sealed) return null;
    const value = open(key, name, sealed);
    if (value === null) throw unreadable(this.file, `has a damaged entry "${name}" (it does not decrypt with the right passphrase)`);
    return value;
  }

  /** Removing an entry needs no passphrase: nothing is decrypted or encrypted. */
  async delete(instance: string, secret: SecretKind): Promise<void> {
    const name = secretAccount(instance, secret);
    const exists = await fs.stat(this.file).then(
      () => true,
      () => false,
    );
    if (!exists) return;
    await withFileLock(this.file, async (assertLockHeld) => {
      const data = await this.read();
      if (!data || !(name in data.entries)) return;
      delete data.entries[name];
      assertLockHeld();
      await writePrivateFile(this.file, serialize(data));
    });
  }

  private async read(): Promise<SecretFile | null> {
    let text: string;
    try {
      text = await fs.readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw new OnboardError('SECRET_STORE', `Cannot read the encrypted secret file ${this.file}: ${(error as Error).message}.`, {
        fix: `Check the permissions of ${this.file}.`,
        cause: error,
      });
    }
    tightenFileMode(this.file);
    return parseSecretFile(text, this.file);
  }

  private async unlock(data: SecretFile): Promise<Buffer> {
    const key = await this.deriveKey(data.salt, data.kdf);
    if (open(key, CHECK_NAME, data.check) !== CHECK_PLAINTEXT) {
      // Forget it so that a retry in the same process can ask again.
      this.keyCache = undefined;
      this.passphrase = undefined;
      throw new OnboardError('SECRET_STORE', `The passphrase does not open ${this.file}.`, {
        fix: `Set ${PASSPHRASE_ENV} to the passphrase used before (or move the file away to start over).`,
      });
    }
    return key;
  }

  private async deriveKey(salt: string, kdf: SecretFile['kdf']): Promise<Buffer> {
    const kdfId = `${kdf.N}/${kdf.r}/${kdf.p}`;
    if (this.keyCache && this.keyCache.salt === salt && this.keyCache.kdf === kdfId) return this.keyCache.key;
    const passphrase = await this.getPassphrase();
    const key = await scrypt(passphrase, Buffer.from(salt, 'base64'), kdf);
    this.keyCache = { salt, kdf: kdfId, key };
    return key;
  }

  private getPassphrase(): Promise<string> {
    this.passphrase ??= (async () => {
      const env = this.options.env ?? process.env;
      const fromEnv = env[PASSPHRASE_ENV];
      const value = fromEnv !== undefined && fromEnv !== '' ? fromEnv : this.options.passphrase ? await this.options.passphrase() : undefined;
      if (value === undefined || value === '') {
        throw new OnboardError('INVALID_INPUT', `The encrypted secret file ${this.file} needs a passphrase.`, {
          fix: `Set ${PASSPHRASE_ENV} (or run in a terminal to be asked).`,
        });
      }
      return value;
    })();
    const pending = this.passphrase;
    pending.catch(() => {
      if (this.passphrase === pending) this.passphrase = undefined;
    });
    return pending;
  }
}

function serialize(data: SecretFile): string {
  const entries = Object.fromEntries(Object.entries(data.entries).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return `${JSON.stringify({ ...data, entries }, null, 2)}\n`;
}
