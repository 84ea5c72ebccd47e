export { MultiHeadAttention, type AttentionConfig } from "./attention";
export { SeededDropout, type SeededDropoutConfig } from "./dropout";
export { LayerNorm } from "./layernorm";
export { MaxOverTime, maxOverTime } from "./maxovertime";
export { PadMask, PoolMask, ConcatMask } from "./mask";
