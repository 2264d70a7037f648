import { spawn } from 'node:child_process';

/** A virtual X display (Debian's Xvfb) for headful browsers; `display` is what DISPLAY should say. */
export async function startXvfb(): Promise<{ display: string; stop(): void }> {
  // -displayfd: Xvfb picks a free display number and writes it to the given fd once it accepts clients.
  const child = spawn('Xvfb', ['-displayfd', '3', '-screen', '0', '1366x900x24', '-nolisten', 'tcp'], { stdio: ['ignore', 'ignore', 'pipe', 'pipe'] });
  const number = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdio[3]!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('\n')) resolve(out.trim());
    });
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`Xvfb exited with ${code}`)));
  });
  return { display: `:${number}`, stop: () => void child.kill() };
}
