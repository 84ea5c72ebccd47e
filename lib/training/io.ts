/**
 * Saving and loading trained models by folder: DIR/model.json + DIR/weights.bin.
 * The filesystem IOHandlers themselves live in lib/tfjs/model-io.ts (plain
 * @tensorflow/tfjs has no `file://` handler; that needs tfjs-node); these are
 * the folder-based names the training cache uses.
 */
import * as path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { fsLoadHandler as loadModelJson, fsSaveHandler as saveToDir } from "../tfjs/model-io";

export const fsSaveHandler = (dir: string): tf.io.IOHandler => saveToDir(dir);
export const fsLoadHandler = (dir: string): tf.io.IOHandler => loadModelJson(path.join(dir, "model.json"));

export const saveModel = (model: tf.LayersModel, dir: string) => model.save(fsSaveHandler(dir));
export const loadModel = (dir: string) => tf.loadLayersModel(fsLoadHandler(dir));
