/**
 * What every experiment of notebooks 02–06 shares: the parameters, the
 * TensorFlow.js backend, the sizes and schedules of this scale, the frozen
 * image backbone of MRLF's image branch, and local ImageNet weights for the
 * ResNet/DenseNet baselines when the user provides them.
 */
import type * as TF from "@tensorflow/tfjs";
import type { Params } from "../runtime/params";
import { selectBackend } from "../tfjs/backend";
import { backboneForRun, defaultBackbone, backboneInputSize, type Backbone } from "../image/backbone";
import { MOBILENET_HEAD_INPUT } from "../models/baselines/mobilenet";
import { experimentSizes, type ExperimentSizes, type Schedule, type ScheduledModel } from "./sizes";
import { envVar } from "../runtime/env";

export type PretrainedCnn = "ResNet50" | "ResNet101" | "DenseNet121";
export const PRETRAINED_CNNS: readonly PretrainedCnn[] = ["ResNet50", "ResNet101", "DenseNet121"];

export interface ExperimentContext {
  params: Params;
  tf: typeof TF;
  backend: string;
  sizes: ExperimentSizes;
  /** MRLF's frozen image backbone (also the frozen part of the MobileNetV2 baselines when it is the default one). */
  backbone: Backbone;
  /** True when `backbone` is the default MobileNetV2 (the MobileNetV2 baselines need its layers). */
  defaultBackbone: boolean;
  /** Local model.json of ImageNet weights per CNN (env GEOREPRO_PRETRAINED_RESNET50 …), when set. */
  pretrained: Partial<Record<PretrainedCnn, string>>;
  /** Activations where the fine-tuned MobileNetV2 top starts (MOBILENET_HEAD_INPUT[sizes.mobilenetTop]), loaded on first use. */
  activationBackbone(): Promise<Backbone>;
}

export async function experimentContext(params: Params, env: NodeJS.ProcessEnv = process.env): Promise<ExperimentContext> {
  const { tf, name } = await selectBackend();
  // tfjs's IS_TEST flag (set by backend.ts to silence the tfjs-node banner) also
  // turns on a per-kernel leak check that misfires on fusedConv2d's custom
  // gradient (4 "leaked" ids per call while tf.memory() stays flat); the image
  // CNNs cannot train with it on.
  tf.env().set("IS_TEST", false);
  const pretrained: Partial<Record<PretrainedCnn, string>> = {};
  for (const b of PRETRAINED_CNNS) {
    const v = envVar(`GEOREPRO_PRETRAINED_${b.toUpperCase()}`, env);
    if (v) pretrained[b] = v;
  }
  let activations: Promise<Backbone> | null = null;
  const sizes = experimentSizes(params.scale);
  return {
    params,
    tf,
    backend: name,
    sizes,
    backbone: await backboneForRun(params, env),
    defaultBackbone: !envVar("GEOREPRO_BACKBONE", env),
    pretrained,
    activationBackbone: () =>
      (activations ??= defaultBackbone({
        inputSize: backboneInputSize(params.scale),
        featureLayer: MOBILENET_HEAD_INPUT[sizes.mobilenetTop],
        pooling: "none",
      })),
  };
}

/** The schedule of a model at this run: the scale's, with the epoch cap replaced by params.epochs when set. */
export function scheduleFor(ctx: Pick<ExperimentContext, "sizes" | "params">, model: ScheduledModel, learningRate?: number): Schedule {
  const s = ctx.sizes.schedule[model];
  return { ...s, ...(ctx.params.epochs > 0 ? { epochs: ctx.params.epochs } : {}), ...(learningRate !== undefined ? { learningRate } : {}) };
}
