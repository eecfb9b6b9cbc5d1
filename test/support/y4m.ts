import { writeFileSync } from 'node:fs';
// pngjs comes with qrcode and has no type declarations of its own.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { PNG } = require('pngjs') as {
  PNG: { sync: { read(buffer: Buffer): { width: number; height: number; data: Buffer } } };
};

export interface Y4mOptions {
  width?: number;
  height?: number;
  framesPerSecond?: number;
  /** Frames showing the image, then frames of white: a code held up, then lowered (the fake camera loops the file). */
  shownFrames?: number;
  blankFrames?: number;
}

/**
 * A YUV4MPEG2 video (what Chromium's fake camera plays) of a PNG: its luminance, scaled up by a
 * whole factor and centred on a white frame, chroma neutral (128), 4:2:0 full range.
 */
export function pngToY4m(png: Buffer, options: Y4mOptions = {}): Buffer {
  const { width = 480, height = 360, framesPerSecond = 10, shownFrames = 20, blankFrames = 0 } = options;
  const image = PNG.sync.read(png);
  const factor = Math.max(1, Math.floor(Math.min((width - 40) / image.width, (height - 40) / image.height)));
  const left = Math.floor((width - image.width * factor) / 2);
  const top = Math.floor((height - image.height * factor) / 2);

  const shown = Buffer.alloc(width * height, 255);
  for (let y = 0; y < image.height * factor; y += 1) {
    for (let x = 0; x < image.width * factor; x += 1) {
      const source = (Math.floor(y / factor) * image.width + Math.floor(x / factor)) * 4;
      const [red, green, blue, alpha] = [
        image.data[source],
        image.data[source + 1],
        image.data[source + 2],
        image.data[source + 3] / 255,
      ];
      // Transparent pixels are white paper; BT.601 luma.
      const luma = (0.299 * red + 0.587 * green + 0.114 * blue) * alpha + 255 * (1 - alpha);
      shown[(top + y) * width + left + x] = Math.round(luma);
    }
  }
  const blank = Buffer.alloc(width * height, 255);
  const chroma = Buffer.alloc((width / 2) * (height / 2) * 2, 128);
  const frame = (luma: Buffer): Buffer[] => [Buffer.from('FRAME\n'), luma, chroma];
  const parts: Buffer[] = [Buffer.from(`YUV4MPEG2 W${width} H${height} F${framesPerSecond}:1 Ip A1:1 C420jpeg\n`)];
  for (let index = 0; index < shownFrames; index += 1) parts.push(...frame(shown));
  for (let index = 0; index < blankFrames; index += 1) parts.push(...frame(blank));
  return Buffer.concat(parts);
}

export function writeY4m(path: string, png: Buffer, options?: Y4mOptions): string {
  writeFileSync(path, pngToY4m(png, options));
  return path;
}
