// Draws billsync's tray icons (one per sync state) and the app icon, and writes them as PNG and ICO.
//
// Run `node --import tsx icons/draw-icons.ts` after changing a design; the PNG and ICO files next to
// this script are its output and test/desktop/icons.test.ts fails if they differ from it by a byte.
//
// Design rules, all for a 16 px tray: every state has its own silhouette (shape, not only colour,
// tells the states apart), and every shape has a dark rim around a light body so it reads on light
// and on dark taskbars. Each design is described once on a 16-unit grid and drawn natively at each
// size; widths and straight edges are rounded to whole pixels at that size so that 16 px stays crisp.

import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { encodeIco, encodePng } from './encode.js';
import { arc, circle, grow, onCircle, polygon, polyline, rasterise, roundBox, union, type Layer, type Point, type Rgb } from './raster.js';

export const TRAY_STATES = ['up-to-date', 'syncing', 'attention', 'error', 'paused'] as const;
export type TrayState = (typeof TRAY_STATES)[number];

/** The sizes inside every .ico: tray at 100–150 % scaling, Explorer, and the large installer view. */
export const ICO_SIZES = [16, 24, 32, 48, 256] as const;

const WHITE: Rgb = [255, 255, 255];

/** Scales the 16-unit design grid to one pixel size and rounds what must land on whole pixels. */
class Grid {
  readonly unit: number;
  /**
   * Rim width: 1 px at 16, 2 px at 24–48, 5 px at 256. It grows slower than the icon because its job
   * (an edge against the taskbar) depends on screen pixels, and a proportional rim looks heavy when large.
   */
  readonly rim: number;

  constructor(readonly size: number) {
    this.unit = size / 16;
    this.rim = Math.max(1, Math.round(Math.sqrt(size) / 3));
  }

  /** A free coordinate or radius (curves and diagonals need no rounding). */
  u(value: number): number {
    return value * this.unit;
  }

  /** A stroke width, rounded to whole pixels and never thinner than one. */
  width(value: number): number {
    return Math.max(1, Math.round(value * this.unit));
  }

  p(x: number, y: number): Point {
    return { x: x * this.unit, y: y * this.unit };
  }
}

/** A rimmed body: the shape in the dark rim colour, and the same shape shrunk by the rim in the body colour. */
function rimmed(g: Grid, shape: (x: number, y: number) => number, body: Rgb, rim: Rgb): Layer[] {
  return [
    { shape, color: rim },
    { shape: grow(shape, -g.rim), color: body },
  ];
}

// Up to date: a green rounded square with a white check mark (a ticked box).
function upToDate(g: Grid): Layer[] {
  const r = g.size;
  return [
    ...rimmed(g, roundBox(0, 0, r, r, g.u(3.5)), [46, 160, 67], [18, 84, 36]),
    { shape: polyline([g.p(3.9, 8.2), g.p(6.9, 11.2), g.p(12.2, 5.0)], g.width(2.2)), color: WHITE },
  ];
}

// Syncing: two light-blue circular arrows chasing each other clockwise; the centre stays empty.
// Each arrow is a 115° arc with a square-cut tail and a triangular head; the 45° gaps between a head
// and the next tail are what keep the two arrows apart at 16 px.
function syncing(g: Grid): Layer[] {
  const c = g.size / 2;
  const radius = g.u(5.5);
  const stroke = g.width(2) + 2 * g.rim;
  const deg = Math.PI / 180;
  const arrows = [0, 180].map((turn) => {
    const tail = (turn + 200) * deg;
    const end = (turn + 315) * deg;
    const base = onCircle(c, c, radius, end);
    const out = { x: Math.cos(end), y: Math.sin(end) };
    const ahead = { x: -out.y, y: out.x }; // the clockwise tangent
    const half = g.u(2.8);
    const head = polygon([
      { x: base.x + out.x * half, y: base.y + out.y * half },
      { x: base.x + ahead.x * g.u(3), y: base.y + ahead.y * g.u(3) },
      { x: base.x - out.x * half, y: base.y - out.y * half },
    ]);
    // The arc runs a hair under the head so no seam shows where they meet.
    return union(arc(c, c, radius, tail, end + 0.01, stroke), grow(head, g.rim));
  });
  return rimmed(g, union(...arrows), [92, 172, 250], [10, 70, 140]);
}

// Needs attention: an amber warning triangle with a dark exclamation mark.
function attention(g: Grid): Layer[] {
  const corner = g.u(1.6);
  const triangle = grow(polygon([g.p(8, 2.7), g.p(14.2, 13.6), g.p(1.8, 13.6)]), corner);
  const stem = g.width(2);
  const left = Math.round(g.size / 2 - stem / 2);
  const ink: Rgb = [52, 32, 0];
  return [
    ...rimmed(g, triangle, [255, 184, 28], [122, 72, 0]),
    { shape: roundBox(left, Math.round(g.u(5.2)), left + stem, Math.round(g.u(10.2)), stem * 0.25), color: ink },
    { shape: roundBox(left, Math.round(g.u(11.2)), left + stem, Math.round(g.u(11.2)) + stem, stem * 0.35), color: ink },
  ];
}

// Error: a red disc with a white cross.
function error(g: Grid): Layer[] {
  const c = g.size / 2;
  const w = g.width(2.2);
  return [
    ...rimmed(g, circle(c, c, c), [214, 48, 49], [110, 14, 16]),
    { shape: union(polyline([g.p(5.2, 5.2), g.p(10.8, 10.8)], w), polyline([g.p(10.8, 5.2), g.p(5.2, 10.8)], w)), color: WHITE },
  ];
}

// Paused: two grey upright bars, the media "pause" sign, with nothing around them.
function paused(g: Grid): Layer[] {
  const bar = g.width(5.5);
  const gap = g.width(2);
  const x0 = Math.round((g.size - 2 * bar - gap) / 2);
  const top = Math.round(g.u(1));
  const bottom = g.size - top;
  const r = g.u(1.2);
  const bars = union(roundBox(x0, top, x0 + bar, bottom, r), roundBox(x0 + bar + gap, top, x0 + 2 * bar + gap, bottom, r));
  return rimmed(g, bars, [176, 186, 197], [52, 60, 70]);
}

// The app mark for the installer and the window list: a calm blue tile holding a white invoice
// sheet, with the green "up to date" tick as a badge. Neutral, so it does not claim a state.
function appMark(g: Grid): Layer[] {
  const r = g.size;
  const fold = g.u(3);
  const sheet = polygon([g.p(3.5, 2.5), { x: g.u(10.5) - fold, y: g.u(2.5) }, { x: g.u(10.5), y: g.u(2.5) + fold }, g.p(10.5, 13.5), g.p(3.5, 13.5)]);
  const line = (y: number, x1: number) => polyline([g.p(5.2, y), g.p(x1, y)], g.u(0.9));
  const badge = circle(g.u(11.6), g.u(11.6), g.u(3.9));
  const blue: Rgb = [38, 104, 176];
  return [
    ...rimmed(g, roundBox(0, 0, r, r, g.u(3.5)), blue, [16, 50, 92]),
    { shape: sheet, color: WHITE },
    { shape: polygon([{ x: g.u(10.5) - fold, y: g.u(2.5) }, { x: g.u(10.5), y: g.u(2.5) + fold }, { x: g.u(10.5) - fold, y: g.u(2.5) + fold }]), color: [196, 214, 236] },
    { shape: union(line(6.2, 8.8), line(8.4, 8.8), line(10.6, 7.2)), color: [150, 178, 210] },
    { shape: badge, color: blue },
    { shape: grow(badge, -g.u(0.9)), color: [46, 160, 67] },
    { shape: polyline([g.p(9.9, 11.7), g.p(11.1, 12.9), g.p(13.3, 10.4)], g.u(1.1)), color: WHITE },
  ];
}

const DESIGNS: Record<TrayState | 'billsync', (g: Grid) => Layer[]> = {
  'up-to-date': upToDate,
  syncing,
  attention,
  error,
  paused,
  billsync: appMark,
};

/** The straight-alpha RGBA pixels of one design drawn natively at `size`×`size`. */
export function drawIcon(name: TrayState | 'billsync', size: number): Uint8Array {
  return rasterise(size, DESIGNS[name](new Grid(size)));
}

function png(name: TrayState | 'billsync', size: number): Buffer {
  return encodePng(size, size, drawIcon(name, size));
}

/**
 * Writes, for each state S, `S.png` (32 px), `S-16.png` and `S.ico` (16, 24, 32, 48, 256 px), plus
 * `billsync.png` (256 px) and `billsync.ico`, into `outDir`. Returns the paths written, in order.
 */
export async function drawIcons(outDir: string): Promise<string[]> {
  await mkdir(outDir, { recursive: true });
  const files: [string, Buffer][] = [];
  for (const name of [...TRAY_STATES, 'billsync'] as const) {
    const images = ICO_SIZES.map((size) => ({ size, png: png(name, size) }));
    const at = (size: number) => images.find((image) => image.size === size)!.png;
    if (name === 'billsync') files.push([`${name}.png`, at(256)]);
    else files.push([`${name}.png`, at(32)], [`${name}-16.png`, at(16)]);
    files.push([`${name}.ico`, encodeIco(images)]);
  }
  const written: string[] = [];
  for (const [file, bytes] of files) {
    const path = join(outDir, file);
    await writeFile(path, bytes);
    written.push(path);
  }
  return written;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const written = await drawIcons(dirname(fileURLToPath(import.meta.url)));
  console.log(`wrote ${written.length} files to icons/`);
}
