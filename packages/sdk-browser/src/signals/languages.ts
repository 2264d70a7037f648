import type { Collector } from './collector.js';

export const languages: Collector = {
  name: 'languages',
  stable: true,
  collect: () => (navigator.languages?.length ? [...navigator.languages] : [navigator.language]),
};
