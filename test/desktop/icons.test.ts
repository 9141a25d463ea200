import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { drawIcons, ICO_SIZES, TRAY_STATES } from '../../icons/draw-icons.js';
import { decodePng, type DecodedPng } from '../support/png.js';

const ICONS = fileURLToPath(new URL('../../icons/', import.meta.url));

/** The generated files committed in icons/ (the scripts beside them are not images). */
async function committedImages(): Promise<string[]> {
  return (await readdir(ICONS)).filter((f) => f.endsWith('.png') || f.endsWith('.ico')).sort();
}

async function readIcon(file: string): Promise<Buffer> {
  return readFile(join(ICONS, file));
}

interface IcoEntry {
  readonly size: number;
  readonly png: Buffer;
}

/** Reads an .ico whose images are all PNG, checking every header field Windows looks at. */
function parseIco(buf: Buffer, name: string): IcoEntry[] {
  assert.ok(buf.length >= 6, `${name}: shorter than an ICONDIR`);
  assert.equal(buf.readUInt16LE(0), 0, `${name}: ICONDIR reserved must be 0`);
  assert.equal(buf.readUInt16LE(2), 1, `${name}: ICONDIR type must be 1 (icon)`);
  const count = buf.readUInt16LE(4);
  let expectedOffset = 6 + 16 * count;
  const entries: IcoEntry[] = [];
  for (let i = 0; i < count; i++) {
    const e = 6 + 16 * i;
    const where = `${name} entry ${i}`;
    const width = buf.readUInt8(e) || 256;
    assert.equal(buf.readUInt8(e + 1) || 256, width, `${where}: height byte must equal width byte`);
    assert.equal(buf.readUInt8(e + 2), 0, `${where}: colorCount must be 0 for 32-bit images`);
    assert.equal(buf.readUInt8(e + 3), 0, `${where}: reserved must be 0`);
    assert.equal(buf.readUInt16LE(e + 4), 1, `${where}: planes must be 1`);
    assert.equal(buf.readUInt16LE(e + 6), 32, `${where}: bitCount must be 32`);
    const bytes = buf.readUInt32LE(e + 8);
    const offset = buf.readUInt32LE(e + 12);
    assert.equal(offset, expectedOffset, `${where}: image data must follow the previous one without gaps`);
    assert.ok(offset + bytes <= buf.length, `${where}: image data runs past the end of the file`);
    expectedOffset = offset + bytes;
    entries.push({ size: width, png: buf.subarray(offset, offset + bytes) });
  }
  assert.equal(expectedOffset, buf.length, `${name}: bytes after the last image`);
  return entries;
}

const alphaAt = (img: DecodedPng, p: number) => img.rgba[p * 4 + 3]!;

/** Pixels whose coverage flips between the two icons: how different the shapes are, ignoring colour. */
function shapeDifference(a: DecodedPng, b: DecodedPng): number {
  let differ = 0;
  for (let p = 0; p < a.width * a.height; p++) if (alphaAt(a, p) >= 128 !== alphaAt(b, p) >= 128) differ++;
  return differ;
}

const luma = (r: number, g: number, b: number) => (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
const linear = (c: number) => (c / 255 <= 0.04045 ? c / 255 / 12.92 : ((c / 255 + 0.055) / 1.055) ** 2.4);
const relativeLuminance = (rgb: readonly number[]) => 0.2126 * linear(rgb[0]!) + 0.7152 * linear(rgb[1]!) + 0.0722 * linear(rgb[2]!);

/** Windows 11 light and dark taskbars, roughly; GNOME's and KDE's panels sit near these too. */
const TASKBARS = { light: [243, 243, 243], dark: [32, 32, 32] } as const;

interface Legibility {
  opaque: number;
  dark: number;
  light: number;
  /** Per taskbar: pixels that stand out from it by WCAG's 3:1 contrast for graphics. */
  standOut: Record<keyof typeof TASKBARS, number>;
}

function legibility(img: DecodedPng): Legibility {
  const result: Legibility = { opaque: 0, dark: 0, light: 0, standOut: { light: 0, dark: 0 } };
  for (let p = 0; p < img.width * img.height; p++) {
    const [r, g, b, a] = [0, 1, 2, 3].map((k) => img.rgba[p * 4 + k]!) as [number, number, number, number];
    if (a >= 230) {
      result.opaque++;
      if (luma(r, g, b) < 0.35) result.dark++;
      if (luma(r, g, b) > 0.6) result.light++;
    }
    for (const [bar, bg] of Object.entries(TASKBARS) as [keyof typeof TASKBARS, readonly number[]][]) {
      const seen = [r, g, b].map((c, k) => (c * a + bg[k]! * (255 - a)) / 255);
      const [hi, lo] = [relativeLuminance(seen), relativeLuminance(bg)].sort((x, y) => y - x) as [number, number];
      if ((hi + 0.05) / (lo + 0.05) >= 3) result.standOut[bar]++;
    }
  }
  return result;
}

const MIN_SHAPE_DIFFERENCE = 12;

/** Why an icon would not read at 16 px on some taskbar, or [] when it reads. */
function legibilityProblems(img: DecodedPng): string[] {
  const l = legibility(img);
  const problems: string[] = [];
  if (l.opaque < 40) problems.push(`only ${l.opaque} opaque pixels, want ≥ 40`);
  if (l.dark < 8) problems.push(`only ${l.dark} dark (luma < 0.35) opaque pixels for an edge, want ≥ 8`);
  if (l.light < 8) problems.push(`only ${l.light} light (luma > 0.6) opaque pixels, want ≥ 8`);
  for (const bar of Object.keys(TASKBARS) as (keyof typeof TASKBARS)[]) {
    if (l.standOut[bar] < 24) problems.push(`only ${l.standOut[bar]} pixels stand out 3:1 on a ${bar} taskbar, want ≥ 24`);
  }
  return problems;
}

async function sixteens(): Promise<Map<string, DecodedPng>> {
  const entries = await Promise.all(TRAY_STATES.map(async (s) => [s, decodePng(await readIcon(`${s}-16.png`), `${s}-16.png`)] as const));
  return new Map(entries);
}

test('the committed icons are exactly what icons/draw-icons.ts draws, byte for byte', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'billsync-icons-'));
  try {
    const written = (await drawIcons(dir)).map((p) => basename(p)).sort();
    assert.deepEqual(await committedImages(), written, 'icons/ holds exactly the generated files');
    for (const file of written) {
      const fresh = await readFile(join(dir, file));
      assert.ok(fresh.equals(await readIcon(file)), `icons/${file} differs from the generator's output: run \`node --import tsx icons/draw-icons.ts\` (never edit the images by hand)`);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('every PNG has valid chunks and CRCs, no time or text chunks, and the size its name says', async () => {
  const pngs = (await committedImages()).filter((f) => f.endsWith('.png'));
  assert.equal(pngs.length, 2 * TRAY_STATES.length + 1);
  for (const file of pngs) {
    const img = decodePng(await readIcon(file), file);
    const size = file === 'billsync.png' ? 256 : file.endsWith('-16.png') ? 16 : 32;
    assert.deepEqual([img.width, img.height], [size, size], file);
    assert.deepEqual(img.chunkTypes, ['IHDR', 'IDAT', 'IEND'], file);
  }
  const broken = Buffer.from(await readIcon('error.png'));
  broken[45] = broken[45]! ^ 0x01; // inside IDAT's data: the reader must notice
  assert.throws(() => decodePng(broken, 'broken.png'), /broken\.png: IDAT chunk CRC/);
});

test('every ICO holds PNG images of 16, 24, 32, 48 and 256 px, the tray PNGs among them', async () => {
  for (const name of [...TRAY_STATES, 'billsync']) {
    const file = `${name}.ico`;
    const entries = parseIco(await readIcon(file), file);
    assert.deepEqual(entries.map((e) => e.size), [...ICO_SIZES], file);
    for (const { size, png } of entries) {
      const img = decodePng(png, `${file} ${size} px`);
      assert.deepEqual([img.width, img.height], [size, size], `${file}: the ${size} px entry holds a ${img.width}×${img.height} image`);
    }
    const at = (size: number) => entries.find((e) => e.size === size)!.png;
    if (name === 'billsync') {
      assert.ok(at(256).equals(await readIcon('billsync.png')), 'billsync.png is the 256 px image of billsync.ico');
    } else {
      assert.ok(at(16).equals(await readIcon(`${name}-16.png`)), `${name}-16.png is the 16 px image of ${file}`);
      assert.ok(at(32).equals(await readIcon(`${name}.png`)), `${name}.png is the 32 px image of ${file}`);
    }
  }
});

test('at 16 px the five states differ in shape, not only in colour', async () => {
  const icons = await sixteens();
  for (const [i, a] of TRAY_STATES.entries()) {
    for (const b of TRAY_STATES.slice(i + 1)) {
      const differ = shapeDifference(icons.get(a)!, icons.get(b)!);
      assert.ok(differ >= MIN_SHAPE_DIFFERENCE, `${a} and ${b} differ in only ${differ} pixels of their outline, want ≥ ${MIN_SHAPE_DIFFERENCE}`);
    }
  }
  // The check bites: the same shape in another colour counts as no difference at all.
  const upToDate = icons.get('up-to-date')!;
  const recoloured = { ...upToDate, rgba: upToDate.rgba.map((v, k) => (k % 4 === 0 ? 255 - v : v)) };
  assert.equal(shapeDifference(upToDate, recoloured), 0);
});

test('each 16 px state icon is solid, with a dark rim and a light body, so it reads on light and dark taskbars', async () => {
  for (const [state, img] of await sixteens()) {
    assert.deepEqual(legibilityProblems(img), [], `${state}-16.png`);
  }
  // The check bites: without its rim, flattened to one mid grey, an icon no longer reads everywhere.
  const paused = (await sixteens()).get('paused')!;
  const flat = { ...paused, rgba: paused.rgba.map((v, k) => (k % 4 === 3 ? v : 128)) };
  assert.notDeepEqual(legibilityProblems(flat), []);
});
