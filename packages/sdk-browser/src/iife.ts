// The <script> build: exposes window.Vigil (and window.VigilError for instanceof checks).
import { VigilError } from './errors.js';
import { Vigil } from './vigil.js';

Object.assign(globalThis, { Vigil, VigilError });
