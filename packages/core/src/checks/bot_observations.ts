import type { Checks, EvaluationInput, Facts } from '../types.js';
import { signal } from './signal.js';

interface BrowserFeatures {
  ua_client_hints: { brands: string[]; mobile: boolean | null } | null;
  media_devices: boolean;
  plugins: number;
  screen_frame: number[];
}

/**
 * Bot observations: `ua_is_bot` from the user agent on the server side, and the browser's own tells from
 * the SDK's signals. Each check is absent when its signal is (an old SDK, a failed probe, a backend).
 */
export function botObservations(input: EvaluationInput, facts: Facts): Checks {
  const checks: Checks = {};
  if (facts.userAgent !== null) checks.ua_is_bot = facts.userAgent.isBot;
  const webdriver = signal<boolean>(input, 'webdriver');
  if (typeof webdriver === 'boolean') checks.navigator_webdriver_true = webdriver;
  const automation = signal<unknown[]>(input, 'automation');
  if (Array.isArray(automation)) checks.bot_framework_globals = automation.length > 0;
  const processObject = signal<boolean>(input, 'process_object');
  if (typeof processObject === 'boolean') checks.window_process_present = processObject;
  const webgl = signal<{ renderer?: unknown }>(input, 'webgl');
  if (webgl && typeof webgl.renderer === 'string') checks.webgl_swiftshader_renderer = /swiftshader|llvmpipe|software rasterizer/i.test(webgl.renderer);

  const events = signal<{ trusted?: unknown; synthetic?: unknown }>(input, 'input_events');
  if (events && typeof events.synthetic === 'number' && typeof events.trusted === 'number') {
    // Script-made input on the page before the action: what a bot that "clicks" with dispatchEvent leaves.
    checks.event_istrusted_synthetic = events.synthetic > 0;
  }
  const features = signal<BrowserFeatures>(input, 'browser_features');
  const ua = facts.userAgent;
  if (features && typeof features === 'object' && ua) {
    const chromium = ua.browser === 'Chrome' || ua.browser === 'Edge';
    const desktop = ua.deviceClass === 'computer';
    // Chromium has offered User-Agent Client Hints since version 89; a "Chrome" without them is not one.
    if (chromium) checks.uach_missing_on_chrome = features.ua_client_hints === null;
    if (ua.browser !== null && !ua.isBot) checks.mediadevices_absent_modern_ua = features.media_devices === false;
    if (desktop && Array.isArray(features.screen_frame)) checks.screen_frame_all_zero_desktop = features.screen_frame.every((n) => n === 0);
  }
  const fonts = signal<string[]>(input, 'fonts');
  if (Array.isArray(fonts) && ua?.deviceClass === 'computer') checks.fonts_empty_on_desktop = fonts.length === 0;
  // Chromium builds (Debian's too) ship neither Widevine nor voices, so only a browser whose client hints
  // say Google Chrome is expected to have them.
  const googleChrome = (features?.ua_client_hints?.brands ?? []).includes('Google Chrome') && ua?.deviceClass === 'computer';
  const media = signal<{ widevine?: unknown; speech_voices?: unknown }>(input, 'media');
  if (googleChrome && media) {
    if (typeof media.widevine === 'boolean') checks.widevine_missing_on_chrome = !media.widevine;
    if (typeof media.speech_voices === 'number') checks.speech_voices_empty_on_desktop_chrome = media.speech_voices === 0;
  }
  return checks;
}
