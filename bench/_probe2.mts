import { startBenchVigil } from '/work/main/bench/evaluate/vigil-server.js';
import { closedLoop } from '/work/main/bench/evaluate/closed-loop.js';
import { warmWorkload } from '/work/main/bench/evaluate/requests.js';
import { readdirSync, readFileSync } from 'node:fs';
const url = process.env.URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const schema = `bench_${Math.random().toString(16).slice(2, 10)}`;
const node = await startBenchVigil({ DATABASE_URL: url, DATABASE_SCHEMA: schema });
await closedLoop(node, warmWorkload(2000), { amount: 2000 });
const snap = () => { const m = new Map<number, [number, number]>(); for (const e of readdirSync('/proc')) { if (!/^\d+$/.test(e)) continue; try { if (readFileSync(`/proc/${e}/comm`, 'utf8').trim() !== 'postgres') continue; const st = readFileSync(`/proc/${e}/stat`, 'utf8'); const f = st.slice(st.lastIndexOf(')') + 2).split(' '); m.set(+e, [+f[11], +f[12]]); } catch {} } return m; };
const ns = () => { const st = readFileSync(`/proc/${node.pid}/stat`, 'utf8'); const f = st.slice(st.lastIndexOf(')') + 2).split(' '); return [+f[11], +f[12]]; };
const a = snap(); const na = ns();
const round = await closedLoop(node, warmWorkload(2000), { seconds: 5 });
const b = snap(); const nb = ns();
const n = round.answered;
let u = 0, s = 0;
for (const [pid, [ut, st]] of b) { const [u0, s0] = a.get(pid) ?? [0, 0]; u += ut - u0; s += st - s0; }
console.log('evals', n, 'ops/s', Math.round(round.opsPerSec), 'node user', Math.round((nb[0]-na[0]) * 10000 / n), 'node sys', Math.round((nb[1]-na[1]) * 10000 / n), 'pg user µs/eval', Math.round(u * 10000 / n), 'pg sys µs/eval', Math.round(s * 10000 / n));
await node.stop();
