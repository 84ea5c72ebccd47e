export { MultiHeadAttention, type AttentionConfig } from "./attention";
export { SeededDropout, type SeededDropoutConfig } from "./dropout";
