/**
 * A city of a posts manifest, whatever the layout of its files: the posts
 * format (lib/data/posts.ts `realCity`) or Flickr CSVs converted at load time
 * (lib/data/flickr). Its own module because it sits above both: the Flickr
 * conversion builds on the posts format.
 */
import { realCity, type CityDataset } from "./posts";
import * as flickr from "./flickr";

/**
 * A city of a posts manifest, however its files are laid out: the posts
 * format (CITY/posts.jsonl + POIs + images, `realCity`), or files converted at
 * load time — a manifest with a `posts` block and Flickr CSVs (formats
 * `flickr-photos-csv` + `official-pois-csv`, lib/data/flickr), cached under
 * `cacheDir` and never written into the project.
 */
export async function manifestCity(
  params: { manifestDir: string; cacheDir: string },
  city: string,
  manifestFile: string,
): Promise<CityDataset> {
  const { openDataset, ManifestError, displayPath } = require("./manifest") as typeof import("./manifest");
  const v = openDataset(manifestFile);
  const m = v.manifest;
  if (!m.posts) return realCity(params, city, manifestFile);
  if (m.posts.city !== city)
    throw new ManifestError(`${displayPath(m.manifestFile)}: posts.city: the manifest holds "${m.posts.city}", not "${city}"`);
  const of = (format: string) => {
    const f = m.files.find((x) => x.format === format);
    if (!f)
      throw new ManifestError(
        `${displayPath(m.manifestFile)}: files: no file of format ${format} (a converted posts manifest needs ${flickr.FLICKR_PHOTOS_FORMAT} and ${flickr.OFFICIAL_POIS_FORMAT})`,
      );
    return f.path;
  };
  const photos = of(flickr.FLICKR_PHOTOS_FORMAT);
  const pois = of(flickr.OFFICIAL_POIS_FORMAT);
  return flickr.flickrCity(params.cacheDir, {
    name: m.name,
    city,
    label: m.posts.label,
    photosFile: v.files[photos],
    poisFile: v.files[pois],
    displayPhotos: displayPath(v.files[photos]),
    displayPois: displayPath(v.files[pois]),
    checksums: { [photos]: v.checksums[photos], [pois]: v.checksums[pois] },
    description: m.title,
  });
}
