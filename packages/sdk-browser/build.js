// The IIFE bundle (window.Vigil) that the server serves at /sdk/vigil.js. The ESM build is tsc's dist/.
import { build } from 'esbuild';
await build({
  entryPoints: ['src/iife.ts'],
  bundle: true,
  minify: true,
  format: 'iife',
  target: ['es2019'],
  outfile: 'dist/vigil.js',
  legalComments: 'none',
});
