/**
 * Synthetic Instagram-style photos, rendered procedurally and encoded by sharp.
 *
 * A photo is a *scene* (what the place looks like) optionally covered by a
 * *foreground* (a selfie's person, a pet, a plate of food):
 *
 * - Scene: each POI has a scene type (park, bridge, tower, …; see pois.ts) and
 *   a fixed per-POI style (palette and layout, drawn once from the POI's own
 *   stream), so photos of one place share structure and colours while POIs of
 *   the same type stay confusable. Every photo then varies the camera (shift,
 *   zoom), the light (day, golden hour, overcast, night) and the grain.
 * - Foreground: people are drawn as people — head with skin tone, hair, eyes,
 *   brows, nose, mouth, ears, neck, shoulders and clothed torso, sometimes an
 *   arm holding the phone, sometimes two friends — because a real person
 *   segmenter later looks for them. Pets are four-legged animals with ears,
 *   snout and tail; food is a plate seen from above. The mask of every pixel is
 *   kept, so the true portrait ratio (person pixels / all pixels, the MRLF
 *   paper's quantity thresholded at η = 0.5) is recorded with each image.
 */
import { Raster, Rgb, MASK, mix, shade } from "./raster";
import type { Rng } from "../../runtime/rng";
import type { SceneType } from "./pois";
import type { ImageKind } from "../posts";

export interface PoiStyle {
  scene: SceneType;
  /** Main, secondary and accent colours. */
  palette: [Rgb, Rgb, Rgb];
  /** Fixed layout numbers in [0, 1) that place this POI's elements. */
  u: number[];
}

export interface RenderedImage {
  /** JPEG bytes. */
  jpeg: Buffer;
  portraitRatio: number;
  foregroundRatio: number;
}

const SCENE_TYPES: SceneType[] = [
  "park",
  "bridge",
  "tower",
  "street",
  "water",
  "museum",
  "market",
  "beach",
  "temple",
  "stadium",
  "mountain",
  "plaza",
];

/** Hue-spread palette from the POI's stream: the same POI always gets the same look. */
export function poiStyle(scene: SceneType, rng: Rng): PoiStyle {
  const hsv = (h: number, s: number, v: number): Rgb => {
    const i = Math.floor(h * 6),
      f = h * 6 - i,
      p = v * (1 - s),
      q = v * (1 - f * s),
      t = v * (1 - (1 - f) * s);
    const m = [
      [v, t, p],
      [q, v, p],
      [p, v, t],
      [p, q, v],
      [t, p, v],
      [v, p, q],
    ][i % 6];
    return [Math.round(m[0] * 255), Math.round(m[1] * 255), Math.round(m[2] * 255)];
  };
  const h = rng.next();
  const palette: [Rgb, Rgb, Rgb] = [
    hsv(h, 0.35 + 0.4 * rng.next(), 0.45 + 0.45 * rng.next()),
    hsv((h + 0.3 + 0.4 * rng.next()) % 1, 0.3 + 0.5 * rng.next(), 0.35 + 0.5 * rng.next()),
    hsv(rng.next(), 0.7 + 0.3 * rng.next(), 0.75 + 0.25 * rng.next()),
  ];
  return { scene, palette, u: Array.from({ length: 16 }, () => rng.next()) };
}

/** A style for "generic" photos that show no particular place. */
export function genericStyle(rng: Rng): PoiStyle {
  return poiStyle(rng.choice(SCENE_TYPES), rng);
}

const SKIN: Rgb[] = [
  [255, 224, 196],
  [241, 194, 160],
  [224, 172, 135],
  [198, 134, 98],
  [161, 102, 70],
  [120, 76, 52],
  [88, 56, 40],
];
const HAIR: Rgb[] = [
  [20, 16, 14],
  [45, 30, 22],
  [90, 60, 36],
  [150, 110, 60],
  [212, 178, 110],
  [140, 62, 30],
  [160, 160, 160],
];
const CLOTHES: Rgb[] = [
  [30, 30, 34],
  [235, 235, 235],
  [40, 60, 120],
  [150, 30, 40],
  [60, 110, 70],
  [210, 170, 60],
  [120, 90, 140],
  [200, 110, 140],
];
const SKY: Record<string, [Rgb, Rgb]> = {
  day: [
    [96, 150, 220],
    [190, 215, 240],
  ],
  golden: [
    [120, 110, 170],
    [250, 180, 120],
  ],
  overcast: [
    [150, 155, 165],
    [200, 202, 205],
  ],
  night: [
    [10, 14, 40],
    [40, 45, 80],
  ],
};

/** Draw the scene of `style` into r, with camera jitter and light drawn from rng. */
export function drawScene(r: Raster, style: PoiStyle, rng: Rng): void {
  const S = r.w;
  const u = style.u;
  const [c1, c2, c3] = style.palette;
  const light = rng.choice(["day", "day", "day", "golden", "overcast", "night"] as const);
  const z = 0.88 + 0.24 * rng.next();
  const ox = (rng.next() - 0.5) * 0.16 * S,
    oy = (rng.next() - 0.5) * 0.08 * S;
  const X = (x: number) => (x * S - S / 2) * z + S / 2 + ox; // x, y in [0, 1] scene units
  const Y = (y: number) => (y * S - S / 2) * z + S / 2 + oy;
  const L = (d: number) => d * S * z;
  const horizon = 0.35 + 0.3 * u[0];
  const [skyTop, skyBottom] = SKY[light];
  r.gradient(0, Y(horizon) + 1, skyTop, skyBottom);
  const ground = (c: Rgb) => r.gradient(Y(horizon), S, shade(c, 1.05), shade(c, 0.75));
  const windows = (x0: number, y0: number, x1: number, y1: number, c: Rgb, lit: boolean) => {
    const cols = 3 + Math.floor(u[5] * 4),
      rows = 4 + Math.floor(u[6] * 6);
    for (let i = 0; i < cols; i++)
      for (let j = 0; j < rows; j++) {
        const wx = x0 + ((i + 0.25) / cols) * (x1 - x0),
          wy = y0 + ((j + 0.25) / rows) * (y1 - y0);
        r.rect(X(wx), Y(wy), X(wx + (0.5 / cols) * (x1 - x0)), Y(wy + (0.5 / rows) * (y1 - y0)), lit ? [250, 220, 120] : shade(c, 0.6));
      }
  };
  const skyline = (base: number, c: Rgb, n: number) => {
    for (let i = 0; i < n; i++) {
      const x = (i + 0.1) / n,
        hgt = 0.08 + 0.18 * ((u[(i + 3) % 16] + i * 0.37) % 1);
      r.rect(X(x), Y(base - hgt), X(x + 0.8 / n), Y(base) + 1, shade(c, 0.7 + 0.3 * ((i * 0.61) % 1)));
    }
  };
  const lit = light === "night";
  switch (style.scene) {
    case "park": {
      ground([70 + c2[0] * 0.1, 130 + c2[1] * 0.15, 60]);
      if (u[1] > 0.4) r.ellipse(X(0.3 + 0.4 * u[2]), Y(horizon + 0.2), L(0.25), L(0.07), [70, 120, 170]); // lake
      r.polygon(
        [
          [X(0.45), Y(1.05)],
          [X(0.55), Y(1.05)],
          [X(0.5 + 0.05 * u[3]), Y(horizon)],
        ],
        [200, 185, 150],
      ); // path
      const trees = 3 + Math.floor(u[4] * 5);
      for (let i = 0; i < trees; i++) {
        const tx = (i + 0.5) / trees + (u[(i + 7) % 16] - 0.5) * 0.08,
          ty = horizon + 0.02 + 0.12 * u[(i + 9) % 16];
        r.rect(X(tx - 0.012), Y(ty - 0.05), X(tx + 0.012), Y(ty + 0.06), [90, 60, 40]);
        r.ellipse(X(tx), Y(ty - 0.1), L(0.07 + 0.04 * u[i % 16]), L(0.08), shade([50, 110 + 40 * u[i % 16], 50], 0.9));
      }
      if (u[7] > 0.5) r.ellipse(X(0.5), Y(horizon + 0.05), L(0.05), L(0.03), c3); // fountain / statue
      break;
    }
    case "bridge": {
      r.gradient(Y(horizon), S, [60, 90, 120], [30, 50, 80]);
      skyline(horizon, [90, 95, 110], 7);
      const deck = horizon - 0.05 - 0.1 * u[1];
      r.rect(X(-0.2), Y(deck), X(1.2), Y(deck + 0.03), c1);
      const towers = [0.25 + 0.1 * u[2], 0.7 + 0.1 * u[3]];
      for (const tx of towers) {
        r.rect(X(tx - 0.03), Y(deck - 0.3), X(tx + 0.03), Y(horizon + 0.05), shade(c1, 0.9));
        if (u[4] > 0.5) r.ellipse(X(tx), Y(deck - 0.15), L(0.015), L(0.05), skyBottom); // gothic arch
        for (let k = 0; k < 6; k++) r.line(X(tx), Y(deck - 0.3), X(tx + (k - 2.5) * 0.07), Y(deck), 1.2, shade(c2, 1.1));
      }
      break;
    }
    case "tower": {
      ground(shade(c2, 0.7));
      skyline(horizon, shade(c2, 0.9), 6 + Math.floor(u[1] * 4));
      const tx = 0.35 + 0.3 * u[2],
        w = 0.09 + 0.08 * u[3],
        top = 0.08 + 0.1 * u[4];
      r.rect(X(tx - w), Y(top + 0.1), X(tx + w), Y(horizon + 0.02), c1);
      windows(tx - w, top + 0.12, tx + w, horizon, c1, lit);
      if (u[5] > 0.66)
        r.polygon(
          [
            [X(tx - w), Y(top + 0.1)],
            [X(tx + w), Y(top + 0.1)],
            [X(tx), Y(top - 0.05)],
          ],
          c3,
        ); // pyramid crown
      else if (u[5] > 0.33)
        r.rect(X(tx - 0.006), Y(top - 0.08), X(tx + 0.006), Y(top + 0.1), c3); // spire
      else r.ellipse(X(tx), Y(top + 0.1), L(w), L(0.05), c3); // dome
      break;
    }
    case "street": {
      r.polygon(
        [
          [X(0.5 - 0.02), Y(horizon)],
          [X(0.5 + 0.02), Y(horizon)],
          [X(1.1), Y(1.05)],
          [X(-0.1), Y(1.05)],
        ],
        [70, 70, 75],
      );
      for (const side of [0, 1]) {
        const c = side ? c1 : c2;
        r.polygon(
          side
            ? [
                [X(0.55), Y(horizon - 0.15)],
                [X(1.1), Y(-0.1)],
                [X(1.1), Y(1.05)],
                [X(0.55), Y(horizon + 0.02)],
              ]
            : [
                [X(0.45), Y(horizon - 0.15)],
                [X(-0.1), Y(-0.1)],
                [X(-0.1), Y(1.05)],
                [X(0.45), Y(horizon + 0.02)],
              ],
          c,
        );
        for (let k = 0; k < 4; k++) {
          const x = side ? 0.62 + k * 0.1 : 0.38 - k * 0.1;
          r.rect(X(x - 0.02), Y(horizon - 0.05 - k * 0.06), X(x + 0.02), Y(horizon + 0.05 + k * 0.05), k % 2 ? c3 : shade(c, 0.6));
        }
      }
      if (u[1] > 0.5)
        // murals / flags
        for (let k = 0; k < 8; k++) r.line(X(0.2 + k * 0.08), Y(0.1 + 0.05 * (k % 3)), X(0.25 + k * 0.08), Y(0.2), 2, mix(c3, c2, k / 8));
      break;
    }
    case "water": {
      r.gradient(Y(horizon), S, mix([40, 90, 140], c2, 0.2), [20, 50, 90]);
      skyline(horizon, shade(c2, 0.6), 5 + Math.floor(u[1] * 6));
      for (let k = 0; k < 10; k++)
        r.rect(
          X(0.1 * k + 0.05 * u[k % 16]),
          Y(horizon + 0.05 + 0.05 * (k % 5)),
          X(0.1 * k + 0.08),
          Y(horizon + 0.055 + 0.05 * (k % 5)),
          [200, 220, 240],
        );
      const bx = 0.2 + 0.6 * u[2];
      if (u[3] > 0.5) {
        // statue / monument on an island
        r.rect(X(bx - 0.03), Y(horizon - 0.05), X(bx + 0.03), Y(horizon + 0.01), [120, 110, 100]);
        r.rect(X(bx - 0.015), Y(horizon - 0.25), X(bx + 0.015), Y(horizon - 0.05), c1);
        r.rect(X(bx + 0.01), Y(horizon - 0.33), X(bx + 0.02), Y(horizon - 0.24), c1);
      } else {
        // boat / ferry
        r.polygon(
          [
            [X(bx - 0.12), Y(horizon + 0.1)],
            [X(bx + 0.12), Y(horizon + 0.1)],
            [X(bx + 0.09), Y(horizon + 0.16)],
            [X(bx - 0.09), Y(horizon + 0.16)],
          ],
          c1,
        );
        r.rect(X(bx - 0.06), Y(horizon + 0.05), X(bx + 0.06), Y(horizon + 0.1), c3);
      }
      break;
    }
    case "museum": {
      ground([180, 170, 150]);
      const fx0 = 0.1 + 0.1 * u[1],
        fx1 = 0.9 - 0.1 * u[2],
        top = horizon - 0.3;
      r.rect(X(fx0), Y(top), X(fx1), Y(horizon + 0.05), c1);
      r.polygon(
        [
          [X(fx0 - 0.03), Y(top)],
          [X(fx1 + 0.03), Y(top)],
          [X(0.5), Y(top - 0.1 - 0.08 * u[3])],
        ],
        shade(c1, 1.15),
      );
      const cols = 4 + Math.floor(u[4] * 4);
      for (let k = 0; k < cols; k++) {
        const x = fx0 + ((k + 0.5) / cols) * (fx1 - fx0);
        r.rect(X(x - 0.015), Y(top + 0.03), X(x + 0.015), Y(horizon + 0.05), shade(c2, 1.2));
      }
      if (u[5] > 0.5) r.ellipse(X(0.5), Y(top + 0.08), L(0.05), L(0.05), c3); // clock
      for (let k = 0; k < 4; k++)
        r.rect(
          X(fx0 - 0.05 + k * 0.01),
          Y(horizon + 0.05 + k * 0.025),
          X(fx1 + 0.05 - k * 0.01),
          Y(horizon + 0.07 + k * 0.025),
          shade([200, 195, 185], 1 - k * 0.05),
        );
      break;
    }
    case "market": {
      ground([110, 100, 90]);
      const stalls = 3 + Math.floor(u[1] * 3);
      for (let k = 0; k < stalls; k++) {
        const x0 = k / stalls,
          x1 = (k + 0.9) / stalls,
          y = horizon - 0.1 + 0.05 * u[(k + 2) % 16];
        for (let s = 0; s < 6; s++)
          r.rect(X(x0 + (s / 6) * (x1 - x0)), Y(y), X(x0 + ((s + 1) / 6) * (x1 - x0)), Y(y + 0.08), s % 2 ? c1 : c3);
        r.rect(X(x0), Y(y + 0.08), X(x1), Y(horizon + 0.15), shade(c2, 0.8));
        for (let g = 0; g < 5; g++)
          r.ellipse(X(x0 + ((g + 0.5) * (x1 - x0)) / 5), Y(horizon + 0.12), L(0.015), L(0.015), mix(c3, [220, 120, 40], g / 5));
      }
      if (lit) for (let k = 0; k < 12; k++) r.ellipse(X(k / 12 + 0.04), Y(horizon - 0.15), L(0.01), L(0.01), [255, 230, 150]);
      break;
    }
    case "beach": {
      const sea = horizon + 0.1 * u[1];
      r.gradient(Y(horizon), Y(sea + 0.1), [50, 120, 170], [90, 170, 190]);
      r.gradient(Y(sea + 0.1), S, [225, 205, 160], [200, 180, 135]);
      const huts = u[2] > 0.5 ? 5 + Math.floor(u[3] * 4) : 0;
      for (let k = 0; k < huts; k++) {
        const x = (k + 0.2) / huts,
          c = k % 3 === 0 ? c1 : k % 3 === 1 ? c3 : c2;
        r.rect(X(x), Y(sea + 0.02), X(x + 0.6 / huts), Y(sea + 0.12), c);
        r.polygon(
          [
            [X(x - 0.01), Y(sea + 0.02)],
            [X(x + 0.6 / huts + 0.01), Y(sea + 0.02)],
            [X(x + 0.3 / huts), Y(sea - 0.03)],
          ],
          shade(c, 0.8),
        );
      }
      if (!huts)
        for (let k = 0; k < 4; k++)
          r.polygon(
            [
              [X(0.15 + k * 0.22 - 0.07), Y(sea + 0.12)],
              [X(0.15 + k * 0.22 + 0.07), Y(sea + 0.12)],
              [X(0.15 + k * 0.22), Y(sea + 0.06)],
            ],
            k % 2 ? c1 : c3,
          );
      if (u[4] > 0.5)
        r.polygon(
          [
            [X(-0.1), Y(horizon)],
            [X(0.3), Y(horizon - 0.15)],
            [X(0.5), Y(horizon)],
          ],
          [70, 100, 70],
        ); // headland
      break;
    }
    case "temple": {
      ground([150, 120, 100]);
      const tiers = 1 + Math.floor(u[1] * 3),
        cx = 0.35 + 0.3 * u[2];
      r.rect(X(cx - 0.22), Y(horizon - 0.15), X(cx + 0.22), Y(horizon + 0.05), c1);
      for (let t = 0; t < tiers; t++) {
        const y = horizon - 0.15 - t * 0.11,
          w = 0.3 - t * 0.06;
        r.polygon(
          [
            [X(cx - w), Y(y)],
            [X(cx + w), Y(y)],
            [X(cx + w * 0.6), Y(y - 0.07)],
            [X(cx - w * 0.6), Y(y - 0.07)],
          ],
          c3,
        );
        r.rect(X(cx - w * 0.55), Y(y - 0.04), X(cx + w * 0.55), Y(y), shade(c1, 0.85));
      }
      if (u[3] > 0.6)
        for (const dx of [-0.15, 0.15])
          r.polygon(
            [
              [X(cx + dx - 0.03), Y(horizon - 0.15)],
              [X(cx + dx + 0.03), Y(horizon - 0.15)],
              [X(cx + dx), Y(horizon - 0.55)],
            ],
            shade(c2, 0.9),
          ); // spires
      r.rect(X(cx - 0.04), Y(horizon - 0.08), X(cx + 0.04), Y(horizon + 0.05), [60, 30, 20]);
      break;
    }
    case "stadium": {
      r.gradient(Y(horizon - 0.15), Y(horizon + 0.15), shade(c1, 0.8), shade(c2, 0.8));
      for (let k = 0; k < 12; k++)
        r.rect(X(0), Y(horizon - 0.15 + k * 0.025), X(1), Y(horizon - 0.14 + k * 0.025), k % 2 ? shade(c1, 0.7) : shade(c2, 0.9));
      r.ellipse(X(0.5), Y(horizon + 0.35), L(0.65), L(0.22), [60, 140, 60]);
      r.line(X(0.2), Y(horizon + 0.35), X(0.8), Y(horizon + 0.35), 2, [240, 240, 240]);
      for (const lx of [0.1, 0.9]) {
        r.rect(X(lx - 0.005), Y(horizon - 0.4), X(lx + 0.005), Y(horizon - 0.15), [90, 90, 90]);
        r.rect(X(lx - 0.04), Y(horizon - 0.45), X(lx + 0.04), Y(horizon - 0.4), [250, 250, 220]);
      }
      r.rect(X(0.4), Y(horizon - 0.3), X(0.6), Y(horizon - 0.2), c3); // scoreboard
      break;
    }
    case "mountain": {
      r.polygon(
        [
          [X(-0.1), Y(horizon + 0.1)],
          [X(0.2 + 0.2 * u[1]), Y(horizon - 0.3)],
          [X(0.6), Y(horizon)],
          [X(0.8 + 0.1 * u[2]), Y(horizon - 0.2)],
          [X(1.1), Y(horizon + 0.1)],
        ],
        [70, 100, 80],
      );
      r.gradient(Y(horizon + 0.1), S, [50, 80, 110], [30, 50, 80]);
      skyline(horizon + 0.18, [200, 200, 210], 14);
      if (u[3] > 0.4) r.rect(X(0.05), Y(0.85), X(0.95), Y(0.9), [120, 120, 120]); // viewing terrace rail
      if (lit)
        for (let k = 0; k < 30; k++)
          r.rect(
            X((k * 0.137) % 1),
            Y(horizon + 0.12 + (k % 5) * 0.02),
            X(((k * 0.137) % 1) + 0.01),
            Y(horizon + 0.13 + (k % 5) * 0.02),
            [255, 220, 140],
          );
      break;
    }
    case "plaza": {
      ground([130, 125, 120]);
      for (let k = 0; k < 4; k++) {
        const x = k * 0.27 - 0.05;
        r.rect(X(x), Y(0.05 + 0.1 * u[k]), X(x + 0.24), Y(horizon + 0.02), shade(c2, 0.7 + 0.1 * k));
        r.rect(X(x + 0.03), Y(0.12 + 0.1 * u[k]), X(x + 0.21), Y(0.12 + 0.1 * u[k] + 0.1 + 0.08 * u[k + 4]), k % 2 ? c3 : c1); // billboards
      }
      for (let k = 0; k < 14; k++)
        r.ellipse(X((k * 0.0731 + u[8]) % 1), Y(horizon + 0.06 + (k % 3) * 0.03), L(0.012), L(0.03), shade(c1, 0.4 + (k % 4) * 0.1));
      break;
    }
  }
  const f: Record<string, Rgb> = { day: [1, 1, 1], golden: [1.08, 0.95, 0.82], overcast: [0.88, 0.9, 0.94], night: [0.55, 0.55, 0.7] };
  r.light(f[light]);
}

/** A person facing the camera: head at (cx, cy) with head radius hr; returns nothing, labels pixels "person". */
export function drawPerson(r: Raster, cx: number, cy: number, hr: number, rng: Rng, holdingPhone: boolean): void {
  const P = MASK.person;
  const skin = rng.choice(SKIN),
    hair = rng.choice(HAIR),
    cloth = rng.choice(CLOTHES);
  const longHair = rng.next() < 0.45;
  const S = r.h;
  // Torso and shoulders (clothed), extending off the bottom of the frame.
  const shoulderY = cy + hr * 1.55,
    shoulderW = hr * (2.2 + 0.4 * rng.next());
  if (longHair) r.ellipse(cx, cy + hr * 0.5, hr * 1.15, hr * 1.5, hair, P);
  r.polygon(
    [
      [cx - shoulderW, shoulderY + hr * 0.5],
      [cx - shoulderW * 0.8, shoulderY],
      [cx + shoulderW * 0.8, shoulderY],
      [cx + shoulderW, shoulderY + hr * 0.5],
      [cx + shoulderW * 1.05, S + hr],
      [cx - shoulderW * 1.05, S + hr],
    ],
    cloth,
    P,
  );
  r.ellipse(cx - shoulderW * 0.8, shoulderY + hr * 0.35, hr * 0.5, hr * 0.4, cloth, P);
  r.ellipse(cx + shoulderW * 0.8, shoulderY + hr * 0.35, hr * 0.5, hr * 0.4, cloth, P);
  // Neckline and neck.
  r.rect(cx - hr * 0.35, cy + hr * 0.7, cx + hr * 0.35, shoulderY + hr * 0.15, shade(skin, 0.9), P);
  r.polygon(
    [
      [cx - hr * 0.45, shoulderY],
      [cx + hr * 0.45, shoulderY],
      [cx, shoulderY + hr * 0.45],
    ],
    shade(skin, 0.92),
    P,
  );
  if (holdingPhone) {
    const side = rng.next() < 0.5 ? -1 : 1;
    r.line(cx + side * shoulderW * 0.85, shoulderY + hr * 0.3, cx + side * shoulderW * 1.25, cy - hr * 0.2, hr * 0.42, cloth, P);
    r.ellipse(cx + side * shoulderW * 1.27, cy - hr * 0.35, hr * 0.26, hr * 0.3, skin, P); // hand
  }
  // Ears, face, hair.
  r.ellipse(cx - hr * 0.95, cy + hr * 0.05, hr * 0.16, hr * 0.26, shade(skin, 0.92), P);
  r.ellipse(cx + hr * 0.95, cy + hr * 0.05, hr * 0.16, hr * 0.26, shade(skin, 0.92), P);
  r.ellipse(cx, cy, hr * 0.92, hr * 1.12, skin, P);
  r.ellipse(cx, cy + hr * 0.55, hr * 0.7, hr * 0.45, shade(skin, 0.95), P); // jaw shading
  r.ellipse(cx, cy - hr * 0.62, hr * 0.98, hr * 0.55, hair, P); // hair cap
  if (rng.next() < 0.5) r.ellipse(cx - hr * 0.35, cy - hr * 0.5, hr * 0.55, hr * 0.3, hair, P, -0.5); // fringe
  // Eyes, brows, nose, mouth.
  for (const s of [-1, 1]) {
    r.ellipse(cx + s * hr * 0.36, cy + hr * 0.02, hr * 0.17, hr * 0.09, [245, 245, 240], P);
    r.ellipse(cx + s * hr * 0.36, cy + hr * 0.02, hr * 0.08, hr * 0.08, [50, 35, 25], P);
    r.line(cx + s * hr * 0.18, cy - hr * 0.2, cx + s * hr * 0.55, cy - hr * 0.22, hr * 0.07, shade(hair, 0.9), P);
  }
  r.polygon(
    [
      [cx, cy + hr * 0.05],
      [cx - hr * 0.1, cy + hr * 0.38],
      [cx + hr * 0.1, cy + hr * 0.38],
    ],
    shade(skin, 0.82),
    P,
  );
  r.ellipse(cx, cy + hr * 0.62, hr * 0.26, hr * 0.08, [170, 70, 70], P);
}

/** A cat or dog in side view, body centred at (cx, cy), body half-length bl. */
export function drawPet(r: Raster, cx: number, cy: number, bl: number, rng: Rng): void {
  const A = MASK.pet;
  const dog = rng.next() < 0.5;
  const fur = rng.choice<Rgb>([
    [40, 35, 30],
    [200, 140, 70],
    [230, 225, 215],
    [120, 100, 85],
    [170, 120, 80],
    [90, 90, 95],
  ]);
  const dir = rng.next() < 0.5 ? -1 : 1;
  const bh = bl * (dog ? 0.55 : 0.5);
  for (const lx of [-0.65, -0.4, 0.45, 0.7])
    r.rect(cx + lx * bl - bl * 0.08, cy, cx + lx * bl + bl * 0.08, cy + bh * 1.6, shade(fur, 0.85), A); // legs
  r.line(cx - dir * bl * 0.9, cy - bh * 0.2, cx - dir * bl * 1.35, cy - bh * (dog ? 0.9 : 1.4), bl * 0.1, fur, A); // tail
  r.ellipse(cx, cy, bl, bh, fur, A);
  const hx = cx + dir * bl * 0.95,
    hy = cy - bh * 0.9,
    hr = bl * (dog ? 0.38 : 0.34);
  r.ellipse(hx, hy, hr, hr * 0.9, fur, A);
  r.ellipse(hx + dir * hr * 0.75, hy + hr * 0.25, hr * (dog ? 0.55 : 0.3), hr * 0.35, shade(fur, 1.1), A); // snout
  r.ellipse(hx + dir * hr * 1.2, hy + hr * 0.15, hr * 0.12, hr * 0.1, [20, 15, 15], A); // nose
  r.ellipse(hx + dir * hr * 0.3, hy - hr * 0.2, hr * 0.12, hr * 0.12, [20, 20, 10], A); // eye
  if (dog)
    r.ellipse(hx - dir * hr * 0.3, hy + hr * 0.2, hr * 0.25, hr * 0.6, shade(fur, 0.7), A, dir * 0.3); // floppy ear
  else
    for (const ex of [-0.5, 0.3])
      r.polygon(
        [
          [hx + ex * hr - hr * 0.3, hy - hr * 0.5],
          [hx + ex * hr + hr * 0.3, hy - hr * 0.5],
          [hx + ex * hr, hy - hr * 1.3],
        ],
        fur,
        A,
      ); // pointed ears
}

/** A plate of food from above, centred, radius pr. */
export function drawFood(r: Raster, cx: number, cy: number, pr: number, rng: Rng): void {
  const F = MASK.food;
  r.ellipse(cx, cy, pr, pr * 0.92, [240, 240, 236], F);
  r.ellipse(cx, cy, pr * 0.8, pr * 0.74, [228, 228, 222], F);
  const colours: Rgb[] = [
    [200, 120, 50],
    [180, 40, 30],
    [90, 150, 60],
    [240, 200, 90],
    [120, 70, 40],
    [250, 240, 220],
  ];
  const n = 4 + rng.int(6);
  for (let k = 0; k < n; k++) {
    const a = rng.next() * Math.PI * 2,
      d = rng.next() * pr * 0.45;
    r.ellipse(
      cx + Math.cos(a) * d,
      cy + Math.sin(a) * d,
      pr * (0.15 + 0.2 * rng.next()),
      pr * (0.12 + 0.15 * rng.next()),
      rng.choice(colours),
      F,
      rng.next() * 3,
    );
  }
}

/** Food close-ups are shot on a table: no view of the place at all. */
function drawTable(r: Raster, rng: Rng): void {
  const wood = rng.choice<Rgb>([
    [150, 105, 70],
    [110, 75, 50],
    [200, 170, 130],
    [235, 235, 230],
    [60, 60, 65],
  ]);
  r.gradient(0, r.h, shade(wood, 1.1), shade(wood, 0.85));
  for (let k = 0; k < 8; k++) r.rect(0, (k + rng.next()) * (r.h / 8), r.w, (k + rng.next()) * (r.h / 8) + 1.5, shade(wood, 0.9));
}

export interface ImageSpec {
  style: PoiStyle;
  kind: ImageKind;
  /** Output side in pixels (drawn at 2× and downsampled). */
  size: number;
  quality?: number;
}

/** Render one photo: scene, then the foreground of its kind; returns JPEG bytes and the true ratios. */
export async function renderImage(spec: ImageSpec, rng: Rng): Promise<RenderedImage> {
  const sharp = (await import("sharp")).default;
  const S = spec.size * 2;
  const r = new Raster(S, S);
  if (spec.kind === "food") drawTable(r, rng.fork("scene"));
  else drawScene(r, spec.style, rng.fork("scene"));
  const fg = rng.fork("foreground");
  if (spec.kind === "selfie") {
    const hr = S * (0.08 + 0.24 * fg.next());
    const group = fg.next() < 0.25;
    if (group) {
      drawPerson(r, S * (0.3 + 0.05 * fg.next()), S * 0.42 + hr * 0.3, hr * 0.9, fg, false);
      drawPerson(r, S * (0.68 + 0.05 * fg.next()), S * 0.4 + hr * 0.2, hr, fg, fg.next() < 0.5);
    } else {
      drawPerson(r, S * (0.35 + 0.3 * fg.next()), S * (0.32 + 0.14 * fg.next()) + hr * 0.4, hr, fg, fg.next() < 0.5);
    }
  } else if (spec.kind === "pet") {
    drawPet(r, S * (0.4 + 0.2 * fg.next()), S * (0.55 + 0.1 * fg.next()), S * (0.15 + 0.15 * fg.next()), fg);
  } else if (spec.kind === "food") {
    drawFood(r, S * (0.45 + 0.1 * fg.next()), S * (0.5 + 0.1 * fg.next()), S * (0.25 + 0.25 * fg.next()), fg);
  }
  r.grain(6, rng.fork("grain").seedInt());
  const portraitRatio = r.ratio(MASK.person);
  const foregroundRatio = r.ratio(MASK.person, MASK.pet, MASK.food);
  const jpeg = await sharp(Buffer.from(r.rgb.buffer, r.rgb.byteOffset, r.rgb.byteLength), { raw: { width: S, height: S, channels: 3 } })
    .resize(spec.size, spec.size, { kernel: "lanczos3" })
    .jpeg({ quality: spec.quality ?? 85, chromaSubsampling: "4:2:0" })
    .toBuffer();
  return { jpeg, portraitRatio: round4(portraitRatio), foregroundRatio: round4(foregroundRatio) };
}

const round4 = (x: number): number => Math.round(x * 1e4) / 1e4;

/** A PNG grid of images (e.g. for a notebook), `cols` per row, each `size` px, optional caption strip per tile. */
export async function contactSheet(files: readonly string[], cols = 8, size = 96): Promise<Buffer> {
  const sharp = (await import("sharp")).default;
  const rows = Math.max(1, Math.ceil(files.length / cols));
  const tiles = await Promise.all(
    files.map(async (f, i) => ({
      input: await sharp(f).resize(size, size).toBuffer(),
      left: (i % cols) * size,
      top: Math.floor(i / cols) * size,
    })),
  );
  return sharp({ create: { width: cols * size, height: rows * size, channels: 3, background: { r: 255, g: 255, b: 255 } } })
    .composite(tiles)
    .png()
    .toBuffer();
}
