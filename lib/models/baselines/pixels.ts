/**
 * Pixel inputs for the image-classifier baselines (ResNet, DenseNet): each
 * post's first image decoded at the model's input size, preprocessed the way
 * the Keras ImageNet weights expect (so pretrained weights can be dropped in):
 *   caffe (ResNet):  BGR, minus ImageNet channel means, no scaling
 *   torch (DenseNet): RGB/255, minus mean, divided by std per channel
 * The classifiers see one image per post (the paper's image baselines classify
 * images); posts without an image are an error here, because the MRLF
 * preprocessing keeps only posts with images.
 */
import { decodeImage } from "../../image/decode";

export type PixelPreprocess = "caffe" | "torch";

const CAFFE_MEAN_RGB = [123.68, 116.779, 103.939];
const TORCH_MEAN = [0.485, 0.456, 0.406];
const TORCH_STD = [0.229, 0.224, 0.225];

/** Decoded images are reused within a process (several models and seeds read the same files). */
const decoded = new Map<string, Float32Array>();

export async function postPixels(
  posts: readonly { id: string; images: readonly string[] }[],
  size: number,
  how: PixelPreprocess,
): Promise<Float32Array> {
  const per = size * size * 3;
  const out = new Float32Array(posts.length * per);
  const batch = 32;
  for (let s = 0; s < posts.length; s += batch) {
    const chunk = posts.slice(s, s + batch);
    const imgs = await Promise.all(
      chunk.map(async (p) => {
        if (p.images.length === 0) throw new Error(`post ${p.id}: images: empty (the image baselines need one image per post)`);
        const key = `${size}:${p.images[0]}`;
        let px = decoded.get(key);
        if (!px) {
          px = await decodeImage(p.images[0], size);
          if (size <= 64) decoded.set(key, px); // small inputs only: 224-px arrays would not fit in memory for a paper-size city
        }
        return px;
      }),
    );
    imgs.forEach((px, j) => {
      const o = (s + j) * per;
      for (let i = 0; i < per; i += 3) {
        const r = px[i];
        const g = px[i + 1];
        const b = px[i + 2];
        if (how === "caffe") {
          out[o + i] = b - CAFFE_MEAN_RGB[2];
          out[o + i + 1] = g - CAFFE_MEAN_RGB[1];
          out[o + i + 2] = r - CAFFE_MEAN_RGB[0];
        } else {
          out[o + i] = (r / 255 - TORCH_MEAN[0]) / TORCH_STD[0];
          out[o + i + 1] = (g / 255 - TORCH_MEAN[1]) / TORCH_STD[1];
          out[o + i + 2] = (b / 255 - TORCH_MEAN[2]) / TORCH_STD[2];
        }
      }
    });
  }
  return out;
}

export const clearPixelCache = (): void => decoded.clear();
