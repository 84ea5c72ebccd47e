/**
 * The noisy-image cleaning as notebook 01 reports it: per city, how many
 * images the detector confirms a person in, how many exceed η, how many were
 * inpainted (lib/experiments/cleaning.ts does the work).
 */
import { comparedColumns, withPaper, type ResultTable } from "../../results/table";
import type { PreparedCity } from "../../data/preprocess-posts";
import type { ImageCleaning } from "../../experiments/cleaning";
import { datasetOf } from "./context";

export function cleaningTable(cleaning: ImageCleaning, cities: readonly PreparedCity[]): ResultTable {
  return {
    name: "01-noisy-images-detected",
    title: `Images by detected portrait ratio (η = ${cleaning.eta}, detector τ = ${cleaning.tau.toFixed(2)}) and inpainted images`,
    reproduces: "MRLF paper, Sec. III-B and IV-A (portrait recognition, the η filter, inpainting)",
    dataset: datasetOf(cities),
    columns: [
      { key: "city", label: "city", source: "info" },
      { key: "images", label: "images", digits: 0, source: "ours" },
      { key: "person", label: "person region confirmed", digits: 0, source: "ours" },
      ...comparedColumns("above_eta", `portrait ratio > ${cleaning.eta}`, 0),
      { key: "inpainted", label: "inpainted", digits: 0, source: "ours" },
    ],
    rows: cities.map((c) => {
      const files = [...new Set(c.posts.flatMap((p) => p.images))];
      return withPaper(
        {
          city: c.city,
          images: files.length,
          person: files.filter((f) => cleaning.ratio(f) > 0).length,
          above_eta: files.filter((f) => cleaning.ratio(f) > cleaning.eta).length,
          inpainted: files.filter((f) => cleaning.inpainted.has(f)).length,
        },
        "above_eta",
        null,
      );
    }),
    notes: [cleaning.notes.models, cleaning.notes.inpainter, "The paper does not report how many images its η filter removed."],
  };
}
