import { hash128 } from '../hash.js';
import type { Collector } from './collector.js';

// Text and shapes render slightly differently per GPU, driver, font stack and anti-aliasing: a hash of
// the pixels separates machines that otherwise report the same attributes.
export const canvas: Collector = {
  name: 'canvas',
  stable: true,
  // Rendering is the machine's and cannot change in a page's life; 30-40 ms cold.
  oncePerPage: true,
  collect: () => {
    const element = document.createElement('canvas');
    element.width = 240;
    element.height = 60;
    const context = element.getContext('2d');
    if (!context) throw new Error('unsupported');
    context.textBaseline = 'top';
    context.font = '16px Arial, sans-serif';
    context.fillStyle = '#f60';
    context.fillRect(100, 5, 80, 30);
    context.fillStyle = '#069';
    context.fillText('Vigil, 1.0 \u{1F6E1}', 4, 10);
    context.fillStyle = 'rgba(102, 204, 0, 0.7)';
    context.beginPath();
    context.arc(200, 30, 20, 0, Math.PI * 2);
    context.fill();
    return hash128(element.toDataURL());
  },
};
