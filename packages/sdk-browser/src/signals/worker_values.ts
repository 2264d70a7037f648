import type { Collector } from './collector.js';

// Also stringified into the worker's source, so it names nothing but its argument.
export const readNavigator = (nav: Navigator) => [nav.userAgent, nav.platform, (nav.languages ?? []).join(','), nav.hardwareConcurrency];
export const NAVIGATOR_VALUES = ['userAgent', 'platform', 'languages', 'hardwareConcurrency'];

// The GPU renderer as a worker's OffscreenCanvas reports it; stringified into the worker too.
const readRenderer = () => {
  try {
    const gl = new OffscreenCanvas(1, 1).getContext('webgl');
    if (!gl) return null;
    const info = gl.getExtension('WEBGL_debug_renderer_info');
    return String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
  } catch {
    return null;
  }
};

/**
 * The navigator values and the WebGL renderer a page sees, read again in a Web Worker: stealth scripts
 * patch the page's navigator and WebGL but rarely the worker's (puppeteer-extra-plugin-stealth does not),
 * so a difference is the patching itself. Returns the names of the navigator values that differ
 * ("worker.userAgent") and the worker's renderer, which the server compares with the page's `webgl`
 * signal. A page whose policy forbids blob workers makes this probe fail, which leaves the check absent.
 * (The iframe's view is compared by the native-functions probe, which has a fresh iframe already.)
 */
export const workerValues: Collector = {
  name: 'worker_values',
  stable: false,
  // Starting a worker takes 30-130 ms on a cold page; navigator values do not change in a page's life.
  oncePerPage: true,
  budgetMs: 400,
  collect: async () => {
    const page = readNavigator(navigator);
    const source = `const readNavigator = ${readNavigator.toString()}; postMessage([readNavigator(navigator), (${readRenderer.toString()})()])`;
    const url = URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
    try {
      const worker = new Worker(url);
      const [inWorker, renderer] = await new Promise<[unknown[], string | null]>((resolve, reject) => {
        worker.onmessage = (e) => resolve(e.data as [unknown[], string | null]);
        worker.onerror = () => reject(new Error('worker failed'));
      }).finally(() => worker.terminate());
      const differing = NAVIGATOR_VALUES.filter((_, i) => inWorker[i] !== page[i]).map((name) => `worker.${name}`);
      return { differing, webgl_renderer: renderer };
    } finally {
      URL.revokeObjectURL(url);
    }
  },
};
