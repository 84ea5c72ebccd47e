/**
 * A tiny deterministic RGB rasteriser for the synthetic images: filled
 * rectangles, rotated ellipses, polygons, thick lines and gradients into a
 * Uint8 buffer, plus a parallel label mask (what each pixel shows) so the
 * generator knows the true foreground ratio of every image it draws.
 * Images are drawn at 2× and downsampled by sharp, which anti-aliases them.
 */
export type Rgb = readonly [number, number, number];

/** Mask labels: what a pixel belongs to. */
export const MASK = { background: 0, person: 1, pet: 2, food: 3 } as const;
export type MaskLabel = (typeof MASK)[keyof typeof MASK];

export class Raster {
  readonly rgb: Uint8Array;
  readonly mask: Uint8Array;
  constructor(
    readonly w: number,
    readonly h: number,
  ) {
    this.rgb = new Uint8Array(w * h * 3);
    this.mask = new Uint8Array(w * h);
  }

  private put(x: number, y: number, c: Rgb, label: number | null, alpha = 1): void {
    const i = y * this.w + x;
    const o = i * 3;
    if (alpha >= 1) {
      this.rgb[o] = c[0];
      this.rgb[o + 1] = c[1];
      this.rgb[o + 2] = c[2];
    } else {
      this.rgb[o] = Math.round(this.rgb[o] * (1 - alpha) + c[0] * alpha);
      this.rgb[o + 1] = Math.round(this.rgb[o + 1] * (1 - alpha) + c[1] * alpha);
      this.rgb[o + 2] = Math.round(this.rgb[o + 2] * (1 - alpha) + c[2] * alpha);
    }
    if (label !== null) this.mask[i] = label;
  }

  /** Vertical gradient over rows [y0, y1). */
  gradient(y0: number, y1: number, top: Rgb, bottom: Rgb): void {
    const a = Math.max(0, Math.floor(y0)),
      b = Math.min(this.h, Math.ceil(y1));
    for (let y = a; y < b; y++) {
      const t = b - a > 1 ? (y - a) / (b - a - 1) : 0;
      const c: Rgb = [top[0] + (bottom[0] - top[0]) * t, top[1] + (bottom[1] - top[1]) * t, top[2] + (bottom[2] - top[2]) * t];
      const cc: Rgb = [Math.round(c[0]), Math.round(c[1]), Math.round(c[2])];
      for (let x = 0; x < this.w; x++) this.put(x, y, cc, MASK.background);
    }
  }

  rect(x0: number, y0: number, x1: number, y1: number, c: Rgb, label: number | null = MASK.background, alpha = 1): void {
    const a = Math.max(0, Math.round(Math.min(x0, x1))),
      b = Math.min(this.w, Math.round(Math.max(x0, x1)));
    const yy0 = Math.max(0, Math.round(Math.min(y0, y1))),
      yy1 = Math.min(this.h, Math.round(Math.max(y0, y1)));
    for (let y = yy0; y < yy1; y++) for (let x = a; x < b; x++) this.put(x, y, c, label, alpha);
  }

  /** Ellipse centred at (cx, cy), radii rx, ry, rotated by `rot` radians. */
  ellipse(cx: number, cy: number, rx: number, ry: number, c: Rgb, label: number | null = MASK.background, rot = 0, alpha = 1): void {
    if (rx <= 0 || ry <= 0) return;
    const r = Math.max(rx, ry);
    const cos = Math.cos(rot),
      sin = Math.sin(rot);
    const x0 = Math.max(0, Math.floor(cx - r)),
      x1 = Math.min(this.w - 1, Math.ceil(cx + r));
    const y0 = Math.max(0, Math.floor(cy - r)),
      y1 = Math.min(this.h - 1, Math.ceil(cy + r));
    for (let y = y0; y <= y1; y++)
      for (let x = x0; x <= x1; x++) {
        const dx = x + 0.5 - cx,
          dy = y + 0.5 - cy;
        const u = (dx * cos + dy * sin) / rx,
          v = (-dx * sin + dy * cos) / ry;
        if (u * u + v * v <= 1) this.put(x, y, c, label, alpha);
      }
  }

  /** Filled polygon (even–odd rule). */
  polygon(pts: readonly (readonly [number, number])[], c: Rgb, label: number | null = MASK.background, alpha = 1): void {
    if (pts.length < 3) return;
    let minY = Infinity,
      maxY = -Infinity;
    for (const [, y] of pts) {
      minY = Math.min(minY, y);
      maxY = Math.max(maxY, y);
    }
    const y0 = Math.max(0, Math.floor(minY)),
      y1 = Math.min(this.h - 1, Math.ceil(maxY));
    const xs: number[] = [];
    for (let y = y0; y <= y1; y++) {
      const py = y + 0.5;
      xs.length = 0;
      for (let i = 0, j = pts.length - 1; i < pts.length; j = i++) {
        const [xi, yi] = pts[i],
          [xj, yj] = pts[j];
        if (yi > py !== yj > py) xs.push(xi + ((py - yi) / (yj - yi)) * (xj - xi));
      }
      xs.sort((a, b) => a - b);
      for (let k = 0; k + 1 < xs.length; k += 2) {
        const a = Math.max(0, Math.round(xs[k])),
          b = Math.min(this.w, Math.round(xs[k + 1]));
        for (let x = a; x < b; x++) this.put(x, y, c, label, alpha);
      }
    }
  }

  /** Thick line segment as a quad. */
  line(x0: number, y0: number, x1: number, y1: number, width: number, c: Rgb, label: number | null = MASK.background): void {
    const dx = x1 - x0,
      dy = y1 - y0;
    const len = Math.hypot(dx, dy) || 1;
    const nx = (-dy / len) * (width / 2),
      ny = (dx / len) * (width / 2);
    this.polygon(
      [
        [x0 + nx, y0 + ny],
        [x1 + nx, y1 + ny],
        [x1 - nx, y1 - ny],
        [x0 - nx, y0 - ny],
      ],
      c,
      label,
    );
  }

  /** Fraction of pixels carrying one of the labels. */
  ratio(...labels: number[]): number {
    const want = new Uint8Array(256);
    for (const l of labels) want[l] = 1;
    let n = 0;
    for (let i = 0; i < this.mask.length; i++) n += want[this.mask[i]];
    return n / this.mask.length;
  }

  /**
   * Add per-pixel noise (sensor grain). Per-pixel noise needs ~10^5 numbers per
   * image, so it uses a fast integer hash (mulberry32) seeded from the image's
   * stream (`seed` = rng.seedInt()) rather than the slower ARC4 stream itself.
   */
  grain(amount: number, seed: number): void {
    let a = seed >>> 0;
    for (let i = 0; i < this.rgb.length; i++) {
      a = (a + 0x6d2b79f5) >>> 0;
      let t = Math.imul(a ^ (a >>> 15), 1 | a);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      const u = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
      const v = this.rgb[i] + (u - 0.5) * 2 * amount;
      this.rgb[i] = v < 0 ? 0 : v > 255 ? 255 : Math.round(v);
    }
  }

  /** Multiply all colours (lighting), clamped. */
  light(f: Rgb): void {
    for (let i = 0; i < this.rgb.length; i += 3)
      for (let k = 0; k < 3; k++) {
        const v = this.rgb[i + k] * f[k];
        this.rgb[i + k] = v > 255 ? 255 : Math.round(v);
      }
  }
}

export const mix = (a: Rgb, b: Rgb, t: number): Rgb => [
  Math.round(a[0] + (b[0] - a[0]) * t),
  Math.round(a[1] + (b[1] - a[1]) * t),
  Math.round(a[2] + (b[2] - a[2]) * t),
];
export const shade = (c: Rgb, f: number): Rgb => [
  Math.min(255, Math.round(c[0] * f)),
  Math.min(255, Math.round(c[1] * f)),
  Math.min(255, Math.round(c[2] * f)),
];
