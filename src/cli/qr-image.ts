// Reads the 2FA secret from a screenshot of an enrollment QR code (PNG or JPEG). The file is read once, into
// memory only (never copied, never logged), within a size cap; its declared pixel count is checked before the
// decoder sees it; the buffer is wiped after decoding.
//
// Decoder: zxing-wasm (zxing-cpp compiled to WebAssembly; decodes PNG and JPEG itself, kept up to date with
// zxing-cpp). It is loaded only here, lazily. By default it would fetch its .wasm from a CDN at run time: the
// binary shipped inside the package is handed to it instead, after checking it against the hash the package
// declares, so nothing is ever downloaded.
import { createHash } from 'node:crypto';
import { constants, promises as fs } from 'node:fs';
import { createRequire } from 'node:module';
import { OnboardError } from '../core/errors.js';
import { describeFormat, sniffImage } from '../core/image-format.js';
import { secretFromQrTexts, type QrSecret } from '../core/qr-secret.js';

/** A full-screen 5K screenshot is a few MiB as PNG; anything far larger is not a screenshot. */
export const MAX_IMAGE_BYTES = 16 * 1024 * 1024;
/** An 8K screen is 33 megapixels. */
export const MAX_IMAGE_PIXELS = 40_000_000;

/** The file's bytes, read once through one descriptor: a regular file within the cap, or a clear refusal. */
export async function readImageOnce(path: string, field = '--mfa-secret-qr'): Promise<Uint8Array> {
  const fail = (message: string, fix?: string) => new OnboardError('INVALID_INPUT', `${field} "${path}": ${message}`, fix ? { fix } : {});
  let handle: fs.FileHandle;
  try {
    // O_NONBLOCK: a FIFO given by mistake must not hang the open.
    handle = await fs.open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw fail(code === 'ENOENT' ? 'no such file.' : code === 'EISDIR' ? 'is a folder.' : 'cannot read it.', 'Give the path of a PNG or JPEG screenshot of the QR code.');
  }
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) throw fail('is not a regular file.', 'Give the path of a PNG or JPEG screenshot of the QR code.');
    if (stat.size > MAX_IMAGE_BYTES) throw fail(`is ${Math.round(stat.size / 1024 / 1024)} MiB; a screenshot of a QR code is far smaller (at most ${MAX_IMAGE_BYTES / 1024 / 1024} MiB read).`, 'Crop the screenshot to the QR code.');
    // One byte more than the cap: a file that grows while being read is still caught.
    const buffer = Buffer.alloc(Math.min(stat.size, MAX_IMAGE_BYTES) + 1);
    let length = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, null);
      if (bytesRead === 0) break;
      length += bytesRead;
      if (length >= buffer.length) {
        buffer.fill(0);
        throw fail(`grew past ${MAX_IMAGE_BYTES / 1024 / 1024} MiB while being read.`);
      }
    }
    return buffer.subarray(0, length);
  } finally {
    await handle.close();
  }
}

let zxing: Promise<typeof import('zxing-wasm/reader')> | undefined;

/** zxing-wasm's reader, on the .wasm binary shipped in its package (never fetched). */
function loadReader(): Promise<typeof import('zxing-wasm/reader')> {
  zxing ??= (async () => {
    const reader = await import('zxing-wasm/reader');
    const require = createRequire(import.meta.url);
    const wasm = await fs.readFile(require.resolve('zxing-wasm/reader/zxing_reader.wasm'));
    const digest = createHash('sha256').update(wasm).digest('hex');
    if (digest !== reader.ZXING_WASM_SHA256) {
      throw new OnboardError('INTERNAL', 'The QR decoder (zxing-wasm) is damaged: its WebAssembly file does not match the hash it declares.', {
        fix: 'Reinstall sspm-onboard (npm ci).',
      });
    }
    await reader.prepareZXingModule({
      overrides: {
        wasmBinary: wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength) as ArrayBuffer,
        // Never a URL: if the binary above were ignored, loading fails here instead of reaching the network.
        locateFile: (file: string) => require.resolve(`zxing-wasm/reader/${file}`),
      },
      fireImmediately: true,
    });
    return reader;
  })();
  return zxing;
}

/** The texts of the QR codes in a PNG or JPEG image (at most a few). */
export async function decodeQrTexts(bytes: Uint8Array, field = '--mfa-secret-qr', path = ''): Promise<string[]> {
  const fail = (message: string, fix: string) => new OnboardError('INVALID_INPUT', `${field} "${path}": ${message}`, { fix });
  const info = sniffImage(bytes);
  if (!info) throw fail(`it is ${describeFormat(bytes)}, not a PNG or JPEG screenshot.`, 'Save the screenshot as PNG or JPEG.');
  if (info.width === 0 || info.height === 0 || info.width * info.height > MAX_IMAGE_PIXELS) {
    throw fail(`declares ${info.width} x ${info.height} pixels; at most ${MAX_IMAGE_PIXELS / 1_000_000} megapixels are decoded.`, 'Crop the screenshot to the QR code.');
  }
  const reader = await loadReader();
  let results: Awaited<ReturnType<typeof reader.readBarcodes>>;
  try {
    results = await reader.readBarcodes(bytes, { formats: ['QRCode'], tryHarder: true, maxNumberOfSymbols: 4 });
  } catch {
    throw fail(`the ${info.kind.toUpperCase()} image could not be decoded (damaged or unusual file).`, 'Take the screenshot again and save it as PNG.');
  }
  return results.filter((result) => result.isValid).map((result) => result.text);
}

/** Reads the file once, decodes it, and returns the otpauth://totp secret it must hold. */
export async function readQrSecret(path: string, field = '--mfa-secret-qr'): Promise<QrSecret> {
  const bytes = await readImageOnce(path, field);
  try {
    const texts = await decodeQrTexts(bytes, field, path);
    try {
      return secretFromQrTexts(texts, `${field} "${path}"`);
    } finally {
      texts.length = 0;
    }
  } finally {
    bytes.fill(0);
  }
}
