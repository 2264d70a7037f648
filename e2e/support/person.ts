import { type ChildProcess, spawn } from 'node:child_process';

/**
 * A person at the keyboard and mouse of an X display: every event goes through the X server (xdotool's
 * XTEST), as a hand on a device would send it, never through a browser's debugging protocol. Paths are
 * curved with a bell-shaped speed, aims scatter around a target's middle, and key timings are drawn from
 * the distributions keystroke-dynamics studies report (dwell ~70–130 ms, flight skewed, with rollover
 * and pauses). Randomness comes from a seeded generator, so a failing run can be replayed.
 */
export interface Box {
  /** Screen coordinates of the box's top-left corner, and its size. */
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface Person {
  /** Moves the pointer to a point in the box along a curved path, and clicks. */
  click(box: Box): Promise<void>;
  /** Types text key by key with a person's rhythm. */
  type(text: string): Promise<void>;
  /** Presses a named key (Tab, Return, ctrl+v). */
  press(key: string): Promise<void>;
  /** A pause, as a person thinking or looking away. */
  pause(ms: number): Promise<void>;
}

/** Mulberry32: small, seeded, good enough to draw timings from. */
function generator(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** X keysym names for the characters a login uses that are not their own names. */
const KEYSYMS: Record<string, string> = { '@': 'at', '.': 'period', ' ': 'space', '-': 'minus', _: 'underscore', '!': 'exclam', '+': 'plus' };

function runScript(display: string, lines: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    // One xdotool process reads the whole gesture from stdin, so its sleeps are the only gaps.
    const child: ChildProcess = spawn('xdotool', ['-'], { env: { ...process.env, DISPLAY: display }, stdio: ['pipe', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`xdotool exited with ${code}: ${stderr}`))));
    child.stdin!.end(`${lines.join('\n')}\n`);
  });
}

export function person(display: string, seed = 1): Person {
  const random = generator(seed);
  const between = (lo: number, hi: number) => lo + random() * (hi - lo);
  // Box–Muller: normal draws for aim scatter and log-normal timings.
  const normal = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const logNormal = (median: number, spread: number) => median * Math.exp(spread * normal());
  const sleep = (ms: number) => `sleep ${(Math.max(0, ms) / 1000).toFixed(3)}`;
  let at = { x: Math.round(between(500, 900)), y: Math.round(between(500, 800)) };

  return {
    async click(box) {
      // Aim near the middle, scattered: people do not hit the exact centre.
      const target = {
        x: Math.round(box.x + box.width / 2 + Math.max(-0.35, Math.min(0.35, normal() * 0.15)) * box.width),
        y: Math.round(box.y + box.height / 2 + Math.max(-0.3, Math.min(0.3, normal() * 0.12)) * box.height),
      };
      const distance = Math.hypot(target.x - at.x, target.y - at.y);
      // A quadratic Bézier bowed to one side, travelled with a minimum-jerk (bell-shaped) speed profile
      // over a Fitts-like duration, sampled at a mouse's ~125 Hz.
      const bow = between(0.1, 0.3) * distance * (random() < 0.5 ? -1 : 1);
      const mid = { x: (at.x + target.x) / 2, y: (at.y + target.y) / 2 };
      const nx = distance ? -(target.y - at.y) / distance : 0;
      const ny = distance ? (target.x - at.x) / distance : 0;
      const control = { x: mid.x + nx * bow, y: mid.y + ny * bow };
      const duration = 250 + 120 * Math.log2(1 + distance / Math.max(10, Math.min(box.width, box.height))) + between(0, 150);
      const steps = Math.max(8, Math.round(duration / 8));
      const lines: string[] = [];
      let last = { ...at };
      for (let i = 1; i <= steps; i++) {
        const s = i / steps;
        const t = 10 * s ** 3 - 15 * s ** 4 + 6 * s ** 5;
        const x = Math.round((1 - t) ** 2 * at.x + 2 * (1 - t) * t * control.x + t ** 2 * target.x + (i < steps ? normal() * 0.6 : 0));
        const y = Math.round((1 - t) ** 2 * at.y + 2 * (1 - t) * t * control.y + t ** 2 * target.y + (i < steps ? normal() * 0.6 : 0));
        if (x !== last.x || y !== last.y) lines.push(`mousemove ${x} ${y}`);
        lines.push(sleep(duration / steps + normal() * 1.5));
        last = { x, y };
      }
      lines.push(sleep(between(60, 220)), 'mousedown 1', sleep(logNormal(95, 0.25)), 'mouseup 1');
      at = target;
      await runScript(display, lines);
    },

    async type(text) {
      const lines: string[] = [];
      let held: string | undefined;
      for (const char of text) {
        const key = KEYSYMS[char] ?? char;
        const dwell = logNormal(90, 0.3);
        const flight = logNormal(150, 0.45);
        // Rollover: a quick typist presses the next key before releasing the last one (not the same key
        // again, and not around a Shift, which xdotool holds for the shifted key's whole press).
        const plain = (k: string) => /^[a-z0-9]$/.test(k);
        if (held && flight < 110 && held !== key && plain(held) && plain(key)) {
          lines.push(`keydown ${key}`, sleep(dwell * 0.4), `keyup ${held}`, sleep(dwell * 0.6), `keyup ${key}`);
          held = undefined;
        } else {
          if (held) lines.push(`keyup ${held}`);
          lines.push(sleep(flight - dwell * 0.5), `keydown ${key}`, sleep(dwell));
          held = key;
        }
        // Now and then a person stops to think or to look at the screen (letting go of the key first, or
        // the X server's auto-repeat would type it again).
        if (random() < 0.08) {
          if (held) lines.push(`keyup ${held}`);
          held = undefined;
          lines.push(sleep(between(300, 900)));
        }
      }
      if (held) lines.push(`keyup ${held}`);
      await runScript(display, lines);
    },

    async press(key) {
      await runScript(display, [sleep(logNormal(250, 0.3)), `key --delay ${Math.round(logNormal(90, 0.25))} ${key}`]);
    },

    pause: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  };
}
