// %% [markdown]
// # 00 · Datasets
//
// Loads every dataset this suite knows through its data manifest and shows its
// statistics. Parameters (seed, scale, output folder) come from `lib/runtime/params.ts`.

// %%
import { startNotebook } from "georepro";
const run = startNotebook("00-datasets");
run.params.scale;
