// Runs in the bench's Chromium page, bundled by esbuild with the SDK's listeners (bench/sdk/listeners.ts):
// nanoseconds per call of each behaviour listener, and of an empty listener called the same way.
import { onInput, onKeyDown, onKeyUp } from '../../packages/sdk-browser/src/signals/keys.js';
import { onPointerDown, onPointerMove } from '../../packages/sdk-browser/src/signals/pointer.js';

type Listener = (event: never) => void;

export function measureListeners(calls: number, rounds: number): Record<string, number> {
  // Trusted-looking events (the listeners read isTrusted as a field), varied so nothing is constant-folded.
  const moves = Array.from({ length: 64 }, (_, i) => ({ isTrusted: true, pointerType: 'mouse', clientX: 100 + i * 3.7, clientY: 80 + ((i * 7) % 50) }));
  const keys = Array.from({ length: 64 }, (_, i) => ({
    isTrusted: true,
    key: 'abcdefgh'[i % 8],
    code: 'KeyA',
    timeStamp: i * 90,
    repeat: false,
    isComposing: false,
    keyCode: 65,
    shiftKey: false,
    altKey: false,
    ctrlKey: false,
    metaKey: false,
    getModifierState: () => false,
  }));
  const inputs = Array.from({ length: 64 }, () => ({ isTrusted: true, inputType: 'insertText', data: 'a' }));
  const press = [{ isTrusted: true, pointerType: 'mouse', pressure: 0.5, clientX: 140, clientY: 96, target: document.body }];
  let sink = 0;
  const empty = (event: { isTrusted: boolean }) => {
    sink += event.isTrusted ? 1 : 0;
  };
  const time = (listener: Listener, events: unknown[], n = calls) => {
    let best = Infinity;
    for (let r = 0; r < rounds; r++) {
      const started = performance.now();
      for (let i = 0; i < n; i++) listener(events[i & (events.length - 1)] as never);
      best = Math.min(best, ((performance.now() - started) * 1e6) / n);
    }
    return best;
  };
  return {
    empty: time(empty as Listener, moves),
    pointermove: time(onPointerMove as Listener, moves),
    keydown_keyup:
      time(
        ((e: KeyboardEvent) => {
          onKeyDown(e);
          onKeyUp(e);
        }) as Listener,
        keys,
      ) / 2,
    input: time(onInput as Listener, inputs),
    // A press judges the path behind it: the one listener that does more than count, once per click.
    pointerdown: time(onPointerDown as Listener, press, calls / 20),
    sink,
  };
}
