/** A toy city for experiment and study tests. */
import * as path from "node:path";
import { stream } from "../../lib/runtime/rng";
import { writeTestImage } from "../image/helpers";

/** A toy city: 3 POIs × 20 posts, each POI with its own words, hashtags and picture pattern. */
export async function toyCity(dir: string) {
  const rng = stream(4, "toy-city");
  const pois = ["a", "b", "c"].map((id, i) => ({ id, name: `poi ${id}`, city: "new-york", lat: 40.7 + i * 0.02, lon: -74 + i * 0.01 }));
  const words = [
    ["bridge", "river"],
    ["museum", "gallery"],
    ["park", "lake"],
  ];
  const posts = [];
  for (let i = 0; i < 60; i++) {
    const c = i % 3;
    const img = await writeTestImage(path.join(dir, "img", `p${i}.png`), `poi-${c}-${i % 2}`, 32);
    posts.push({
      id: `p${String(i).padStart(2, "0")}`,
      city: "new-york",
      poiId: pois[c].id,
      lat: pois[c].lat + 0.001 * rng.normal(),
      lon: pois[c].lon,
      text: `${rng.choice(words[c])} happy ${rng.choice(["today", "love", "friends"])}`,
      hashtags: [`#${words[c][0]}`, "#nyc"],
      images: [img],
    });
  }
  return { name: "toy-city", city: "new-york", pois, posts, checksums: { "posts.jsonl": "toy" } };
}
