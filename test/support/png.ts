// A small, strict PNG reader for tests: it checks what a picky consumer (Windows' icon loader,
// a tray host) would, rather than trusting the encoder that wrote the file. Only the format the icon
// generator writes is accepted: 8-bit RGBA, not interlaced.

import { inflateSync } from 'node:zlib';

export interface DecodedPng {
  readonly width: number;
  readonly height: number;
  /** Chunk types in file order, e.g. ['IHDR', 'IDAT', 'IEND']. */
  readonly chunkTypes: readonly string[];
  /** Straight-alpha RGBA, row by row, 4 bytes per pixel. */
  readonly rgba: Uint8Array;
}

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

// Our own table CRC-32, so the check does not lean on the same library the encoder used.
const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

export function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const byte of bytes) c = CRC_TABLE[(c ^ byte) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/** Decodes `bytes`; throws an error naming `name`, the part that is wrong and what was expected. */
export function decodePng(bytes: Uint8Array, name = 'PNG'): DecodedPng {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const fail = (what: string): never => {
    throw new Error(`${name}: ${what}`);
  };
  if (buf.length < 8 || SIGNATURE.some((b, i) => buf[i] !== b)) fail('missing the PNG signature');

  const chunkTypes: string[] = [];
  const idat: Buffer[] = [];
  let header: Buffer | undefined;
  let at = 8;
  while (at < buf.length) {
    if (at + 12 > buf.length) fail(`chunk at byte ${at} is cut off`);
    const length = buf.readUInt32BE(at);
    const type = buf.toString('latin1', at + 4, at + 8);
    if (at + 12 + length > buf.length) fail(`${type} chunk at byte ${at} runs past the end of the file`);
    const data = buf.subarray(at + 8, at + 8 + length);
    const stored = buf.readUInt32BE(at + 8 + length);
    const computed = crc32(buf.subarray(at + 4, at + 8 + length));
    if (stored !== computed) fail(`${type} chunk CRC is ${stored.toString(16)}, expected ${computed.toString(16)}`);
    chunkTypes.push(type);
    if (type === 'IHDR') header = data;
    if (type === 'IDAT') idat.push(data);
    at += 12 + length;
    if (type === 'IEND') break;
  }
  if (at !== buf.length) fail(`${buf.length - at} bytes after IEND`);
  if (chunkTypes[0] !== 'IHDR' || !header || header.length !== 13) fail('the first chunk must be a 13-byte IHDR');
  if (chunkTypes.at(-1) !== 'IEND') fail('the last chunk must be IEND');
  if (idat.length === 0) fail('no IDAT chunk');

  const ihdr = header!;
  const width = ihdr.readUInt32BE(0);
  const height = ihdr.readUInt32BE(4);
  const [depth, colourType, compression, filterMethod, interlace] = ihdr.subarray(8);
  if (width === 0 || height === 0) fail(`size ${width}×${height}, expected at least 1×1`);
  if (depth !== 8 || colourType !== 6) fail(`bit depth ${depth} colour type ${colourType}, expected 8-bit RGBA (8, 6)`);
  if (compression !== 0 || filterMethod !== 0 || interlace !== 0) fail('expected deflate, standard filters and no interlace');

  const stride = width * 4;
  const raw = inflateSync(Buffer.concat(idat));
  if (raw.length !== height * (stride + 1)) fail(`image data inflates to ${raw.length} bytes, expected ${height * (stride + 1)}`);
  const rgba = new Uint8Array(height * stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!;
    if (filter > 4) fail(`row ${y} has filter type ${filter}, expected 0–4`);
    for (let x = 0; x < stride; x++) {
      const value = raw[y * (stride + 1) + 1 + x]!;
      const left = x >= 4 ? rgba[y * stride + x - 4]! : 0;
      const up = y > 0 ? rgba[(y - 1) * stride + x]! : 0;
      const upLeft = x >= 4 && y > 0 ? rgba[(y - 1) * stride + x - 4]! : 0;
      const predictor = filter === 0 ? 0 : filter === 1 ? left : filter === 2 ? up : filter === 3 ? (left + up) >> 1 : paeth(left, up, upLeft);
      rgba[y * stride + x] = (value + predictor) & 0xff;
    }
  }
  return { width, height, chunkTypes, rgba };
}
