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
import { secretAccount, type SecretStore } from './secret-store-types.js';

export const SECRET_FILE = 'secrets.enc.json';
export const SECRET_FILE_VERSION = 1;
export const PASSPHRASE_ENV = 'SSPM_ONBOARD_PASSPHRASE';

const KEY_LENGTH = 32;
const IV_LENGTH = 12;
const SALT_LENGTH = 16;
const DEFAULT_KDF = { name: 'scrypt' as const, N: 2 ** 15, r: 8, p: 1 };
const CHECK_NAME = '\u0000sspm-onboard-passphrase-check';
const CHECK_PLAINTEXT = 'sspm-onboard';

const TAG_LENGTH = 16;
/** Entries are padded to a multiple of this many bytes, so the ciphertext does not tell a password's length. */
const PAD_BLOCK = 256;
/** The scrypt costs this tool writes (N 2^15 by default; r 8, p 1). Anything else in a file was put there by
 *  someone else: N=2^22, r=32 would make a run allocate gigabytes before the passphrase is even checked. */
const ACCEPTED_N = [2 ** 14, 2 ** 15, 2 ** 16, 2 ** 17];
const ACCEPTED_R = 8;
const ACCEPTED_P = 1;
/** Far above any real file (an entry is under 2 KiB): a bigger one was not written by this tool. */
const MAX_FILE_BYTES = 4 * 1024 * 1024;

const b64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/);
/** Base64 of exactly `bytes` bytes (AES-GCM accepts shorter tags, which would weaken the authentication). */
const b64Bytes = (bytes: number) => b64.refine((text) => Buffer.from(text, 'base64').length === bytes, `expected ${bytes} bytes`);
const sealedSchema = z.object({ iv: b64Bytes(IV_LENGTH), tag: b64Bytes(TAG_LENGTH), data: b64 });
const fileSchema = z.object({
  version: z.literal(SECRET_FILE_VERSION),
  kdf: z.object({
    name: z.literal('scrypt'),
    N: z.number().int(),
    r: z.number().int(),
    p: z.number().int(),
  }),
  salt: b64Bytes(SALT_LENGTH),
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

/** NUL bytes up to the next PAD_BLOCK: no secret contains NUL (passwords and 2FA URIs refuse it), so the
 *  reader strips them; entries written before padding have none. */
function pad(plaintext: string): Buffer {
  const bytes = Buffer.from(plaintext, 'utf8');
  const padded = Buffer.alloc(Math.max(1, Math.ceil(bytes.length / PAD_BLOCK)) * PAD_BLOCK);
  bytes.copy(padded);
  return padded;
}

function unpad(bytes: Buffer): string {
  let end = bytes.length;
  while (end > 0 && bytes[end - 1] === 0) end -= 1;
  return bytes.subarray(0, end).toString('utf8');
}

function seal(key: Buffer, name: string, plaintext: string): Sealed {
  const iv = randomBytes(IV_LENGTH);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_LENGTH });
  cipher.setAAD(Buffer.from(name, 'utf8'));
  const data = Buffer.concat([cipher.update(pad(plaintext)), cipher.final()]);
  return { iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), data: data.toString('base64') };
}

/** The plaintext, or null when the key or the name does not fit (GCM authentication failed). */
function open(key: Buffer, name: string, sealed: Sealed): string | null {
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(sealed.iv, 'base64'), { authTagLength: TAG_LENGTH });
    decipher.setAAD(Buffer.from(name, 'utf8'));
    decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
    return unpad(Buffer.concat([decipher.update(Buffer.from(sealed.data, 'base64')), decipher.final()]));
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
    const what = issue?.message.startsWith('expected ') && issue.message.endsWith(' bytes') ? ` (${issue.message})` : '';
    throw unreadable(file, `does not match the expected format${where}${what}`, parsed.error);
  }
  const { N, r, p } = parsed.data.kdf;
  if (!ACCEPTED_N.includes(N) || r !== ACCEPTED_R || p !== ACCEPTED_P) {
    throw unreadable(file, `has scrypt parameters N=${N}, r=${r}, p=${p}, which sspm-onboard never writes (N 2^14 to 2^17, r=${ACCEPTED_R}, p=${ACCEPTED_P})`);
  }
  return parsed.data;
}

export interface FileStoreOptions {
  env?: NodeJS.ProcessEnv;
  /** Asked only when SSPM_ONBOARD_PASSPHRASE is unset; `creating` when the file does not exist yet (a new passphrase). */
  passphrase?: (use: { creating: boolean }) => Promise<string>;
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
        key = await this.deriveKey(salt, kdf, true);
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

  /**
   * Proves, before any sign-in, that writing will work: a passphrase is at hand (set, or asked now) and opens
   * the existing file. The key stays cached for the writes that follow.
   */
  async checkPassphrase(): Promise<void> {
    const data = await this.read();
    if (data) await this.unlock(data);
    else await this.getPassphrase(true);
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

  /** Entry names are stored in the clear (only values are sealed): listing needs no passphrase. */
  async accounts(): Promise<string[]> {
    const data = await this.read();
    return data ? Object.keys(data.entries) : [];
  }

  private async read(): Promise<SecretFile | null> {
    let text: string;
    try {
      const stat = await fs.stat(this.file);
      if (!stat.isFile()) throw unreadable(this.file, 'is not a regular file');
      if (stat.size > MAX_FILE_BYTES) throw unreadable(this.file, `is ${(stat.size / 1024 / 1024).toFixed(1)} MiB, larger than any secret file sspm-onboard writes`);
      text = await fs.readFile(this.file, 'utf8');
    } catch (error) {
      if (error instanceof OnboardError) throw error;
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

  private async deriveKey(salt: string, kdf: SecretFile['kdf'], creating = false): Promise<Buffer> {
    const kdfId = `${kdf.N}/${kdf.r}/${kdf.p}`;
    if (this.keyCache && this.keyCache.salt === salt && this.keyCache.kdf === kdfId) return this.keyCache.key;
    const passphrase = await this.getPassphrase(creating);
    const key = await scrypt(passphrase, Buffer.from(salt, 'base64'), kdf);
    this.keyCache = { salt, kdf: kdfId, key };
    return key;
  }

  private getPassphrase(creating = false): Promise<string> {
    this.passphrase ??= (async () => {
      const env = this.options.env ?? process.env;
      const fromEnv = env[PASSPHRASE_ENV];
      const value = fromEnv !== undefined && fromEnv !== '' ? fromEnv : this.options.passphrase ? await this.options.passphrase({ creating }) : undefined;
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
