export { EngineTrainer, type EngineOptions } from "./trainer";
export { compileModel, type Plan } from "./compile";
export { Unsupported } from "./ops/common";
export { kernelsWat } from "./simd";
