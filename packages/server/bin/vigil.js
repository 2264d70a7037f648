#!/usr/bin/env node
// The `vigil` command. Kept as plain JS so that npm can link it before the TypeScript is built.
import { main } from '../dist/cli/main.js';

process.exitCode = await main(process.argv.slice(2));
