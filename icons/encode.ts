// Image file encodings for the generated icons: PNG (RGBA, 8 bit) and ICO with PNG entries.
//
// The DEFLATE stream is written here rather than by node:zlib on purpose: zlib's output is only
// stable for one zlib build. Node's bundled zlib (Chromium's fork) and the system zlib a distro Node
// links against compress the same bytes differently, and the icons test compares the committed
// files byte for byte. A small greedy LZ77 with the fixed Huffman code gives the same bytes
// everywhere; any inflater (node:zlib in the test) reads it.

import { crc32 } from 'node:zlib';

const LENGTH_BASE = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258];
const LENGTH_EXTRA = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0];
const DIST_BASE = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577];
const DIST_EXTRA = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13];
const WINDOW = 32768;
const MAX_MATCH = 258;
const MAX_CHAIN = 256;

class BitWriter {
  readonly bytes: number[] = [];
  private acc = 0;
  private count = 0;

  /** Writes `n` bits of `value`, least significant first (DEFLATE's order for extra bits). */
  bits(value: number, n: number): void {
    this.acc |= value << this.count;
    this.count += n;
    while (this.count >= 8) {
      this.bytes.push(this.acc & 0xff);
      this.acc >>>= 8;
      this.count -= 8;
    }
  }

  /** Writes a Huffman code, which DEFLATE stores most significant bit first. */
  code(value: number, n: number): void {
    let reversed = 0;
    for (let i = 0; i < n; i++) reversed |= ((value >>> i) & 1) << (n - 1 - i);
    this.bits(reversed, n);
  }

  flush(): void {
    if (this.count > 0) this.bytes.push(this.acc & 0xff);
    this.acc = 0;
    this.count = 0;
  }
}

function literal(w: BitWriter, symbol: number): void {
  if (symbol < 144) w.code(0x30 + symbol, 8);
  else if (symbol < 256) w.code(0x190 + symbol - 144, 9);
  else if (symbol < 280) w.code(symbol - 256, 7);
  else w.code(0xc0 + symbol - 280, 8);
}

function lastIndexAtMost(table: readonly number[], value: number): number {
  let k = table.length - 1;
  while (table[k]! > value) k--;
  return k;
}

function match(w: BitWriter, length: number, distance: number): void {
  const l = lastIndexAtMost(LENGTH_BASE, length);
  literal(w, 257 + l);
  w.bits(length - LENGTH_BASE[l]!, LENGTH_EXTRA[l]!);
  const d = lastIndexAtMost(DIST_BASE, distance);
  w.code(d, 5);
  w.bits(distance - DIST_BASE[d]!, DIST_EXTRA[d]!);
}

function adler32(data: Uint8Array): number {
  let a = 1;
  let b = 0;
  for (const byte of data) {
    a = (a + byte) % 65521;
    b = (b + a) % 65521;
  }
  return ((b << 16) | a) >>> 0;
}

/** A zlib stream (RFC 1950) holding one fixed-Huffman DEFLATE block (RFC 1951). */
export function zlibCompress(data: Uint8Array): Buffer {
  const w = new BitWriter();
  w.bits(0x78, 8);
  w.bits(0xda, 8);
  w.bits(1, 1); // last block
  w.bits(1, 2); // fixed Huffman codes
  const head = new Int32Array(1 << 15).fill(-1);
  const prev = new Int32Array(data.length);
  const hashAt = (i: number) => ((data[i]! << 10) ^ (data[i + 1]! << 5) ^ data[i + 2]!) & 0x7fff;
  const insert = (i: number) => {
    if (i + 2 >= data.length) return;
    const h = hashAt(i);
    prev[i] = head[h]!;
    head[h] = i;
  };
  let i = 0;
  while (i < data.length) {
    let best = 0;
    let distance = 0;
    if (i + 2 < data.length) {
      let candidate = head[hashAt(i)]!;
      for (let chain = MAX_CHAIN; candidate >= 0 && i - candidate <= WINDOW && chain > 0; chain--) {
        if (data[candidate + best] === data[i + best]) {
          let len = 0;
          while (len < MAX_MATCH && i + len < data.length && data[candidate + len] === data[i + len]) len++;
          if (len > best) {
            best = len;
            distance = i - candidate;
            if (len === MAX_MATCH) break;
          }
        }
        candidate = prev[candidate]!;
      }
    }
    if (best >= 3) {
      match(w, best, distance);
      for (const end = i + best; i < end; i++) insert(i);
    } else {
      literal(w, data[i]!);
      insert(i);
      i++;
    }
  }
  literal(w, 256);
  w.flush();
  const checksum = Buffer.alloc(4);
  checksum.writeUInt32BE(adler32(data));
  return Buffer.concat([Buffer.from(w.bytes), checksum]);
}

function chunk(type: string, data: Uint8Array): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])));
  return Buffer.concat([head, data, crc]);
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/** Each row gets the PNG filter whose output has the smallest sum of |signed bytes| (libpng's heuristic). */
function filterRows(width: number, height: number, rgba: Uint8Array): Uint8Array {
  const stride = width * 4;
  const out = new Uint8Array(height * (stride + 1));
  const trial = new Uint8Array(stride);
  for (let y = 0; y < height; y++) {
    let bestType = 0;
    let bestCost = Infinity;
    let bestRow = new Uint8Array(0);
    for (let type = 0; type < 5; type++) {
      let cost = 0;
      for (let x = 0; x < stride; x++) {
        const cur = rgba[y * stride + x]!;
        const left = x >= 4 ? rgba[y * stride + x - 4]! : 0;
        const up = y > 0 ? rgba[(y - 1) * stride + x]! : 0;
        const upLeft = x >= 4 && y > 0 ? rgba[(y - 1) * stride + x - 4]! : 0;
        const predictor = type === 0 ? 0 : type === 1 ? left : type === 2 ? up : type === 3 ? (left + up) >> 1 : paeth(left, up, upLeft);
        const v = (cur - predictor) & 0xff;
        trial[x] = v;
        cost += v < 128 ? v : 256 - v;
      }
      if (cost < bestCost) {
        bestCost = cost;
        bestType = type;
        bestRow = trial.slice();
      }
    }
    out[y * (stride + 1)] = bestType;
    out.set(bestRow, y * (stride + 1) + 1);
  }
  return out;
}

/** An 8-bit RGBA PNG with only IHDR, IDAT and IEND: no time or text chunks, so bytes never drift. */
export function encodePng(width: number, height: number, rgba: Uint8Array): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 6, 0, 0, 0], 8); // bit depth 8, colour type 6 (RGBA), deflate, adaptive filters, no interlace
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', zlibCompress(filterRows(width, height, rgba))),
    chunk('IEND', new Uint8Array(0)),
  ]);
}

/** A Windows .ico whose entries are PNG files (Vista and later read these at every size). */
export function encodeIco(images: readonly { size: number; png: Buffer }[]): Buffer {
  const header = Buffer.alloc(6 + 16 * images.length);
  header.writeUInt16LE(0, 0); // reserved
  header.writeUInt16LE(1, 2); // type 1 = icon
  header.writeUInt16LE(images.length, 4);
  let offset = header.length;
  images.forEach(({ size, png }, i) => {
    const e = 6 + 16 * i;
    header.writeUInt8(size >= 256 ? 0 : size, e); // width; 0 means 256
    header.writeUInt8(size >= 256 ? 0 : size, e + 1); // height
    header.writeUInt8(0, e + 2); // colour count: 0 for true colour
    header.writeUInt8(0, e + 3); // reserved
    header.writeUInt16LE(1, e + 4); // planes
    header.writeUInt16LE(32, e + 6); // bits per pixel
    header.writeUInt32LE(png.length, e + 8);
    header.writeUInt32LE(offset, e + 12);
    offset += png.length;
  });
  return Buffer.concat([header, ...images.map((image) => image.png)]);
}
