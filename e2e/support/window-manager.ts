import { spawn } from 'node:child_process';

/**
 * Openbox on an X display, so windows get frames, a position and focus as on a desktop: what a person's
 * browser runs under, unlike a bare Xvfb where windows float frameless at the origin.
 */
export async function startWindowManager(display: string): Promise<{ stop(): void }> {
  const child = spawn('openbox', ['--sm-disable'], { env: { ...process.env, DISPLAY: display }, stdio: 'ignore' });
  await new Promise<void>((resolve, reject) => {
    child.once('error', reject);
    // Openbox says nothing when it is ready; it takes windows a moment after start.
    setTimeout(resolve, 500);
  });
  return { stop: () => void child.kill() };
}
