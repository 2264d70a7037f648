// Another process's CPU time and memory, from Linux's /proc: process.cpuUsage() only knows this one.
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';

/** Clock ticks per second, the unit of /proc/<pid>/stat's times (100 nearly everywhere). */
const ticksPerSecond = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** CPU time the process has used so far, user and system, in microseconds (all its threads). */
export function cpuMicros(pid: number): number {
  return cpuMicrosOf(`/proc/${pid}/stat`);
}

/**
 * CPU time of the process's main thread only (the thread whose id is the process's): a Node server's
 * JavaScript, its HTTP and better-sqlite3's statements all run there, so its time per request bounds
 * the rate one process serves; V8's collector helpers, libuv's pool and the log's checkpointer run on
 * threads of their own (the rest of `cpuMicros`).
 */
export function mainThreadCpuMicros(pid: number): number {
  return cpuMicrosOf(`/proc/${pid}/task/${pid}/stat`);
}

/** A server's CPU per operation: all its threads' (`cpuUsPerOp`), and its main thread's alone (`mainCpuUsPerOp`). */
export interface CpuPerOp {
  cpuUsPerOp: number;
  mainCpuUsPerOp: number;
}

/**
 * Starts counting the process's CPU time, all its threads and its main thread; the function returned
 * reads it again and divides what was used since by `ops` (NaN for none), at the moment it is called.
 */
export function cpuSince(pid: number): (ops: number) => CpuPerOp {
  const cpuBefore = cpuMicros(pid);
  const mainBefore = mainThreadCpuMicros(pid);
  return (ops) => {
    const cpu = cpuMicros(pid) - cpuBefore;
    const main = mainThreadCpuMicros(pid) - mainBefore;
    return { cpuUsPerOp: ops > 0 ? cpu / ops : Number.NaN, mainCpuUsPerOp: ops > 0 ? main / ops : Number.NaN };
  };
}

function cpuMicrosOf(statFile: string): number {
  const stat = readFileSync(statFile, 'utf8');
  // Fields follow the command name in parentheses, which may itself hold spaces or parentheses; after
  // it come state (field 3) … utime (14) and stime (15).
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[14 - 3]) + Number(fields[15 - 3]);
  return (ticks / ticksPerSecond) * 1e6;
}

/** The process's resident memory now (VmRSS), in MB. */
export function rssMb(pid: number): number {
  const kb = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  if (kb === undefined) throw new Error(`no VmRSS for process ${pid}`);
  return Number(kb) / 1024;
}

/**
 * CPU time used so far by every process named `command` (its /proc/<pid>/comm), each process by pid:
 * PostgreSQL is a postmaster and a process per connection and background job, all named `postgres`.
 * Compare two snapshots with `cpuMicrosSince`: a process that ended in between is not counted.
 */
export function cpuMicrosByProcess(command: string): Map<number, number> {
  const out = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() !== command) continue;
      out.set(Number(entry), cpuMicros(Number(entry)));
    } catch {
      // Gone between the listing and the read.
    }
  }
  return out;
}

/** The CPU time the processes of `now` used since `before` (a process new since then: all of its time). */
export function cpuMicrosSince(before: Map<number, number>, now: Map<number, number>): number {
  let total = 0;
  for (const [pid, micros] of now) total += micros - (before.get(pid) ?? 0);
  return total;
}
