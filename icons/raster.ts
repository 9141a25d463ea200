// A tiny vector rasteriser for the tray icons: shapes are signed-distance functions in pixel
// coordinates (negative inside, y down), painted in order and sampled on a fixed sub-pixel grid.
// Every step is plain arithmetic on numbers, so the same description gives the same pixels on
// every run and machine; trigonometry only happens once per shape, never per sample.

/** Signed distance in pixels from (x, y) to the shape's edge; negative inside. */
export type Sdf = (x: number, y: number) => number;

export type Rgb = readonly [r: number, g: number, b: number];

/** One opaque paint operation; later layers cover earlier ones. */
export interface Layer {
  readonly shape: Sdf;
  readonly color: Rgb;
}

export interface Point {
  readonly x: number;
  readonly y: number;
}

export function circle(cx: number, cy: number, r: number): Sdf {
  return (x, y) => Math.hypot(x - cx, y - cy) - r;
}

/** Axis-aligned box from (x0, y0) to (x1, y1) with corners rounded by r. */
export function roundBox(x0: number, y0: number, x1: number, y1: number, r: number): Sdf {
  const cx = (x0 + x1) / 2;
  const cy = (y0 + y1) / 2;
  const hx = (x1 - x0) / 2 - r;
  const hy = (y1 - y0) / 2 - r;
  return (x, y) => {
    const qx = Math.abs(x - cx) - hx;
    const qy = Math.abs(y - cy) - hy;
    return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - r;
  };
}

function segmentDistance(x: number, y: number, a: Point, b: Point): number {
  const ex = b.x - a.x;
  const ey = b.y - a.y;
  const len2 = ex * ex + ey * ey;
  const t = len2 === 0 ? 0 : Math.min(1, Math.max(0, ((x - a.x) * ex + (y - a.y) * ey) / len2));
  return Math.hypot(x - a.x - ex * t, y - a.y - ey * t);
}

/** A polyline stroked `width` pixels wide with round caps and joins. */
export function polyline(points: readonly Point[], width: number): Sdf {
  const half = width / 2;
  return (x, y) => {
    let d = Infinity;
    for (let i = 1; i < points.length; i++) d = Math.min(d, segmentDistance(x, y, points[i - 1]!, points[i]!));
    return d - half;
  };
}

/** A filled polygon (any simple polygon; inside decided by the crossing rule). */
export function polygon(points: readonly Point[]): Sdf {
  return (x, y) => {
    let d = Infinity;
    let inside = false;
    for (let i = 0, j = points.length - 1; i < points.length; j = i++) {
      const a = points[i]!;
      const b = points[j]!;
      d = Math.min(d, segmentDistance(x, y, a, b));
      if (a.y > y !== b.y > y && x < a.x + ((y - a.y) * (b.x - a.x)) / (b.y - a.y)) inside = !inside;
    }
    return inside ? -d : d;
  };
}

/** The point at `angle` (radians, clockwise from +x because y points down) on a circle. */
export function onCircle(cx: number, cy: number, r: number, angle: number): Point {
  return { x: cx + r * Math.cos(angle), y: cy + r * Math.sin(angle) };
}

/**
 * A circular arc from angle a0 to a1 (a0 < a1, span under half a turn), stroked `width` wide with
 * square-cut ends, so that a gap between two arcs stays a clean gap at small sizes.
 */
export function arc(cx: number, cy: number, r: number, a0: number, a1: number, width: number): Sdf {
  const mid = (a0 + a1) / 2;
  const mx = Math.cos(mid);
  const my = Math.sin(mid);
  const cosHalf = Math.cos((a1 - a0) / 2);
  const half = width / 2;
  const s0 = onCircle(cx, cy, r - half, a0);
  const s1 = onCircle(cx, cy, r + half, a0);
  const e0 = onCircle(cx, cy, r - half, a1);
  const e1 = onCircle(cx, cy, r + half, a1);
  const [cos0, sin0, cos1, sin1] = [Math.cos(a0), Math.sin(a0), Math.cos(a1), Math.sin(a1)];
  return (x, y) => {
    const vx = x - cx;
    const vy = y - cy;
    const len = Math.hypot(vx, vy);
    // Within the arc's angular span the nearest edge is straight out along the radius; beyond it,
    // the nearest point is on one of the two radial end cuts.
    if (vx * mx + vy * my >= len * cosHalf) {
      const toCut = Math.min(Math.abs(vx * sin0 - vy * cos0), Math.abs(vx * sin1 - vy * cos1));
      return Math.max(Math.abs(len - r) - half, -toCut);
    }
    return Math.min(segmentDistance(x, y, s0, s1), segmentDistance(x, y, e0, e1));
  };
}

export function union(...shapes: Sdf[]): Sdf {
  return (x, y) => {
    let d = Infinity;
    for (const s of shapes) d = Math.min(d, s(x, y));
    return d;
  };
}

/** Grows (positive by) or shrinks (negative by) a shape; how outlines are made. */
export function grow(shape: Sdf, by: number): Sdf {
  return (x, y) => shape(x, y) - by;
}

/**
 * Paints the layers into a size×size straight-alpha RGBA image. Each pixel is sampled on a
 * `grid`×`grid` lattice; a sample takes the colour of the topmost layer containing it, and the pixel
 * is the average. Resolving per sample (not per layer) keeps abutting layers from leaving seams.
 *
 * Shortcut: the distances never overstate how far an edge is, so when every layer's edge is farther
 * from the pixel centre than any sample, all samples agree and one evaluation gives the same result.
 */
export function rasterise(size: number, layers: readonly Layer[], grid = 4): Uint8Array {
  const out = new Uint8Array(size * size * 4);
  const samples = grid * grid;
  const reach = Math.SQRT1_2; // centre to pixel corner, beyond every sample
  const topmostAt = (x: number, y: number): Layer | undefined => {
    for (let i = layers.length - 1; i >= 0; i--) if (layers[i]!.shape(x, y) <= 0) return layers[i];
    return undefined;
  };
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      const o = (py * size + px) * 4;
      if (layers.every((layer) => Math.abs(layer.shape(px + 0.5, py + 0.5)) > reach)) {
        const layer = topmostAt(px + 0.5, py + 0.5);
        if (layer) out.set([...layer.color, 255], o);
        continue;
      }
      let hits = 0;
      let r = 0;
      let g = 0;
      let b = 0;
      for (let sy = 0; sy < grid; sy++) {
        for (let sx = 0; sx < grid; sx++) {
          const layer = topmostAt(px + (sx + 0.5) / grid, py + (sy + 0.5) / grid);
          if (!layer) continue;
          hits++;
          r += layer.color[0];
          g += layer.color[1];
          b += layer.color[2];
        }
      }
      if (hits === 0) continue;
      out[o] = Math.round(r / hits);
      out[o + 1] = Math.round(g / hits);
      out[o + 2] = Math.round(b / hits);
      out[o + 3] = Math.round((255 * hits) / samples);
    }
  }
  return out;
}
