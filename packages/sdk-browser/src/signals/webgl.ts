import type { Collector } from './collector.js';

// The GPU's vendor and renderer as WebGL reports them: stable per machine (part of the fingerprint),
// and a tell of headless Chrome and GPU-less machines (SwiftShader, llvmpipe).
export const webgl: Collector = {
  name: 'webgl',
  stable: true,
  // Creating a WebGL context takes 15-60 ms cold; the GPU cannot change in a page's life.
  oncePerPage: true,
  collect: () => {
    const gl = document.createElement('canvas').getContext('webgl');
    if (!gl) throw new Error('unsupported');
    const info = gl.getExtension('WEBGL_debug_renderer_info');
    return {
      vendor: String(gl.getParameter(info ? info.UNMASKED_VENDOR_WEBGL : gl.VENDOR)),
      renderer: String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER)),
    };
  },
};
