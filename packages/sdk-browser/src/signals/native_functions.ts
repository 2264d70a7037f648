import type { Collector } from './collector.js';
import { NAVIGATOR_VALUES, readNavigator } from './worker_values.js';

const NATIVE = /\{\s*\[native code\]\s*\}\s*$/;

/**
 * Built-ins that stealth plugins patch to hide automation, checked with the pristine
 * Function.prototype.toString of a fresh iframe (a page script can patch the page's own, not the
 * iframe's): the names of those whose source is not native code. A patched toString is itself reported,
 * and so is a navigator value the page sees differently from the iframe ("iframe.userAgent").
 */
export const nativeFunctions: Collector = {
  name: 'native_functions',
  stable: false,
  collect: () => {
    const frame = document.createElement('iframe');
    frame.style.display = 'none';
    document.documentElement.appendChild(frame);
    try {
      const pristine = (frame.contentWindow as (Window & { Function: FunctionConstructor }) | null)?.Function.prototype.toString ?? Function.prototype.toString;
      const isNative = (fn: unknown) => typeof fn === 'function' && NATIVE.test(pristine.call(fn));
      const webdriverGetter = Object.getOwnPropertyDescriptor(Navigator.prototype, 'webdriver')?.get;
      const probes: Record<string, unknown> = {
        'Function.prototype.toString': Function.prototype.toString,
        'navigator.permissions.query': navigator.permissions?.query,
        'HTMLCanvasElement.prototype.toDataURL': HTMLCanvasElement.prototype.toDataURL,
        'WebGLRenderingContext.prototype.getParameter': WebGLRenderingContext.prototype.getParameter,
        'Navigator.prototype.webdriver': webdriverGetter,
        'Math.random': Math.random,
        'Date.now': Date.now,
      };
      const patched = Object.entries(probes)
        .filter(([, fn]) => fn !== undefined && !isNative(fn))
        .map(([name]) => name);
      // The iframe's navigator answers through the iframe's own prototype getters, which the page's
      // patches do not reach.
      const inFrame = frame.contentWindow ? readNavigator(frame.contentWindow.navigator) : null;
      const page = readNavigator(navigator);
      for (const [i, v] of (inFrame ?? []).entries()) if (v !== page[i]) patched.push(`iframe.${NAVIGATOR_VALUES[i]}`);
      return patched;
    } finally {
      frame.remove();
    }
  },
};
