export { MultiHeadAttention, type AttentionConfig } from "./attention";
export { SeededDropout, type SeededDropoutConfig } from "./dropout";
export { LayerNorm } from "./layernorm";
export { MaxOverTime, maxOverTime } from "./maxovertime";
export { PadMask, PoolMask, ConcatMask } from "./mask";
export { TimeShift, AttentionPool, MaskedMean, SinusoidalPosition } from "./sequence";
export { SequenceLSTM, lstmSequence } from "./lstm";
