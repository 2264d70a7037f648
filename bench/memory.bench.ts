// Vigil's memory as its history grows: evaluations over 100,000 distinct users (each always with their
// own email, IP and device), 1,000,000 in all, as fast as the server takes them, on SQLite at
// LOG_LEVEL=info. Resident memory (RSS) is read after every 100,000, and once more after the server has
// sat idle: memory that keeps growing with evaluations, rather than levelling off, is a leak or an
// unbounded cache. BENCH_MEMORY_EVALUATIONS sets a smaller total.
import type { BenchRow, BenchStage } from './run.js';
import { closedLoop } from './evaluate/closed-loop.js';
import { rssMb } from './evaluate/process-usage.js';
import { warmWorkload } from './evaluate/requests.js';
import { startBenchVigil } from './evaluate/vigil-server.js';

const USERS = 100_000;
const CHUNK = 100_000;
const TOTAL = Number(process.env.BENCH_MEMORY_EVALUATIONS ?? 1_000_000);
const IDLE_MS = 5_000;

const count = (n: number) => n.toLocaleString('en-US');

const stage: BenchStage = {
  stage: 'memory',
  async run() {
    const vigil = await startBenchVigil();
    try {
      const rows: BenchRow[] = [{ name: 'at start', rssMb: rssMb(vigil.pid), note: 'listening, nothing evaluated yet' }];
      const workload = warmWorkload(USERS);
      let problems = 0;
      for (let done = 0; done < TOTAL; ) {
        const amount = Math.min(CHUNK, TOTAL - done);
        const round = await closedLoop(vigil, workload, { amount });
        done += amount;
        problems += round.non2xx + round.errors;
        const row: BenchRow = {
          name: `after ${count(done)} evaluations`,
          opsPerSec: round.opsPerSec,
          cpuUsPerOp: round.cpuUsPerOp,
          rssMb: rssMb(vigil.pid),
          note: round.non2xx || round.errors ? `${round.non2xx} non-2xx, ${round.errors} errors` : '',
        };
        rows.push(row);
        process.stderr.write(`  ${row.name}: ${row.rssMb!.toFixed(0)} MB, ${count(Math.round(round.opsPerSec))}/s\n`);
      }
      await new Promise((resolve) => setTimeout(resolve, IDLE_MS));
      rows.push({
        name: `${IDLE_MS / 1000} s idle after the last`,
        rssMb: rssMb(vigil.pid),
        note: `${count(Math.min(TOTAL, USERS))} distinct users${problems ? `; ${problems} failed requests in all` : ''}`,
      });
      return rows;
    } finally {
      await vigil.stop();
    }
  },
};
export default stage;
