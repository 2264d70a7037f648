import type { Collector } from './collector.js';

const FILL = [10, 20, 30, 255];

/**
 * Whether the canvas gives back what was drawn. A solid fill reads back exactly in every browser that
 * does not resist fingerprinting; Brave's farbling, Firefox's resistFingerprinting and fingerprinting
 * protection, and Safari's advanced protection add noise or blank it (firefox-esr 153 with
 * resistFingerprinting: random bytes; Chromium 156: exact). `stable` says whether two reads of the same
 * drawing agree (per-read randomisation).
 */
export const canvasReadback: Collector = {
  name: 'canvas_readback',
  stable: false,
  collect: () => {
    const element = document.createElement('canvas');
    element.width = 8;
    element.height = 8;
    const context = element.getContext('2d');
    if (!context) throw new Error('unsupported');
    context.fillStyle = `rgb(${FILL[0]}, ${FILL[1]}, ${FILL[2]})`;
    context.fillRect(0, 0, 8, 8);
    const first = context.getImageData(0, 0, 8, 8).data;
    const exact = first.every((v, i) => v === FILL[i % 4]);
    const second = context.getImageData(0, 0, 8, 8).data;
    return { exact, stable: first.every((v, i) => v === second[i]) };
  },
};
