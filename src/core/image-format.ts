// Which image a file holds, and how big it will be once decoded, read from its first bytes: a small PNG or JPEG
// file can declare an enormous canvas, so the pixel count is checked before any decoder allocates it. No I/O here.

export type ImageKind = 'png' | 'jpeg';

export interface ImageInfo {
  kind: ImageKind;
  width: number;
  height: number;
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** The format and size of a PNG or JPEG; null for anything else (or a header too damaged to read). */
export function sniffImage(bytes: Uint8Array): ImageInfo | null {
  if (PNG_SIGNATURE.every((b, i) => bytes[i] === b)) return pngInfo(bytes);
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return jpegInfo(bytes);
  return null;
}

/** A name for what the bytes are, for the refusal message. */
export function describeFormat(bytes: Uint8Array): string {
  const head = Buffer.from(bytes.subarray(0, 16));
  if (head.subarray(0, 6).toString('latin1') === 'GIF89a' || head.subarray(0, 6).toString('latin1') === 'GIF87a') return 'a GIF image';
  if (head.subarray(0, 4).toString('latin1') === 'RIFF' && head.subarray(8, 12).toString('latin1') === 'WEBP') return 'a WebP image';
  if (head.subarray(4, 12).toString('latin1').startsWith('ftyp')) return 'an HEIC/AVIF image';
  if (head.subarray(0, 4).toString('latin1') === '%PDF') return 'a PDF';
  if (head.subarray(0, 2).toString('latin1') === 'BM') return 'a BMP image';
  if (bytes.length === 0) return 'an empty file';
  return 'a file of an unknown kind';
}

function pngInfo(bytes: Uint8Array): ImageInfo | null {
  // The first chunk must be IHDR: length 13, then width and height (big-endian).
  if (bytes.length < 24) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (Buffer.from(bytes.subarray(12, 16)).toString('latin1') !== 'IHDR') return null;
  return { kind: 'png', width: view.getUint32(16), height: view.getUint32(20) };
}

function jpegInfo(bytes: Uint8Array): ImageInfo | null {
  // Walk the marker segments to the first start-of-frame (SOF0-SOF15 except DHT/JPG/DAC).
  let offset = 2;
  while (offset + 4 <= bytes.length) {
    if (bytes[offset] !== 0xff) return null;
    const marker = bytes[offset + 1]!;
    if (marker === 0xff) {
      offset += 1; // fill byte
      continue;
    }
    if (marker === 0xd8 || (marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
      offset += 2;
      continue;
    }
    const length = (bytes[offset + 2]! << 8) | bytes[offset + 3]!;
    if (length < 2) return null;
    const isFrame = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isFrame) {
      if (offset + 9 > bytes.length) return null;
      const height = (bytes[offset + 5]! << 8) | bytes[offset + 6]!;
      const width = (bytes[offset + 7]! << 8) | bytes[offset + 8]!;
      return { kind: 'jpeg', width, height };
    }
    if (marker === 0xda || marker === 0xd9) return null; // scan data or end before any frame header
    offset += 2 + length;
  }
  return null;
}
