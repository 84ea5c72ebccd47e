/**
 * Editing a Keras/TensorFlow.js LayersModel topology before loading it:
 * cut the network at a feature layer (dropping the classifier head) and change
 * the input size. A fully-convolutional trunk (VGG19's conv blocks,
 * MobileNetV2 up to `out_relu`) accepts any input size once the head that fixes
 * it (Flatten → Dense, a fixed 7×7 average pool) is gone; running it at 96 px
 * instead of 224 is ~4.5× cheaper (bench/README.md, "Image features").
 */

type Json = Record<string, unknown>;
interface LayerJson {
  class_name: string;
  name?: string;
  config: Json & { name: string; batch_input_shape?: (number | null)[] };
  inbound_nodes?: unknown[];
}

/** The `{class_name, config}` model config inside a model.json's `modelTopology`. */
function modelConfig(topology: Json, where: string): { class_name: string; config: Json & { layers: LayerJson[] } } {
  const mc = ((topology.model_config as Json | undefined) ?? topology) as { class_name?: string; config?: Json };
  const layers = (mc.config as Json | undefined)?.layers;
  if (!mc.class_name || !Array.isArray(layers))
    throw new Error(`${where}: modelTopology: not a Keras LayersModel config (no config.layers)`);
  return mc as { class_name: string; config: Json & { layers: LayerJson[] } };
}

/** Names of the layers a functional-model layer depends on (its inbound layers). */
function inboundNames(layer: LayerJson): string[] {
  const out: string[] = [];
  const walk = (x: unknown): void => {
    if (Array.isArray(x)) {
      if (typeof x[0] === "string" && typeof x[1] === "number") out.push(x[0]);
      else x.forEach(walk);
    }
  };
  walk(layer.inbound_nodes ?? []);
  return out;
}

export interface TruncateOptions {
  /** Output layer (its output becomes the model's output). */
  featureLayer: string;
  /** New square input size, or undefined to keep the topology's. */
  inputSize?: number;
}

/**
 * Return a copy of `topology` whose only output is `featureLayer` and whose
 * input is `[null, inputSize, inputSize, channels]`. Layers the feature layer
 * does not depend on are removed (load the weights with `strict: false`).
 */
export function truncateTopology(topology: Json, opts: TruncateOptions, where = "model.json"): Json {
  const copy = JSON.parse(JSON.stringify(topology)) as Json;
  const mc = modelConfig(copy, where);
  const layers = mc.config.layers;
  const nameOf = (l: LayerJson) => l.config.name ?? l.name;
  const idx = layers.findIndex((l) => nameOf(l) === opts.featureLayer);
  if (idx < 0)
    throw new Error(
      `${where}: featureLayer: no layer named "${opts.featureLayer}" (last layers: ${layers.slice(-5).map(nameOf).join(", ")})`,
    );
  if (mc.class_name === "Sequential") {
    mc.config.layers = layers.slice(0, idx + 1);
  } else {
    const byName = new Map(layers.map((l) => [nameOf(l), l]));
    const keep = new Set<string>();
    const stack = [opts.featureLayer];
    while (stack.length) {
      const n = stack.pop()!;
      if (keep.has(n)) continue;
      keep.add(n);
      const l = byName.get(n);
      if (!l) throw new Error(`${where}: layer "${n}" is referenced but not defined`);
      stack.push(...inboundNames(l));
    }
    mc.config.layers = layers.filter((l) => keep.has(nameOf(l)));
    mc.config.output_layers = [[opts.featureLayer, 0, 0]];
    const inputs = (mc.config.input_layers as [string, number, number][] | undefined) ?? [];
    mc.config.input_layers = inputs.filter(([n]) => keep.has(n));
  }
  if (opts.inputSize !== undefined) {
    const first = mc.config.layers.find((l) => Array.isArray(l.config.batch_input_shape));
    if (!first) throw new Error(`${where}: cannot change the input size: no layer has batch_input_shape`);
    const shape = first.config.batch_input_shape!;
    if (shape.length !== 4) throw new Error(`${where}: batch_input_shape ${JSON.stringify(shape)} is not an image input [null,H,W,C]`);
    first.config.batch_input_shape = [null, opts.inputSize, opts.inputSize, shape[3]];
  }
  return copy;
}
