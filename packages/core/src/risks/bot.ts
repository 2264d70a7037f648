import { type RiskCombination, type RiskTable, standardThresholds } from './types.js';

/**
 * How the page was used: each of these alone can befall a person (a mouse already resting on the button,
 * a lucky click, dictation, a password manager that types), so alone it stays low; any two together are
 * what protocol-driven input looks like, and raise bot to high.
 */
const INPUT_CHECKS = [
  'input_without_pointer_path',
  'pointer_path_linear',
  'click_at_exact_centre',
  'mouse_pressure_zero',
  'text_without_key_events',
  'synthetic_key_timing',
  'shifted_key_without_shift',
];
const INPUT_WEIGHT = 20;
const INPUT_PAIR_WEIGHT = 10;
const inputPairs: RiskCombination[] = INPUT_CHECKS.flatMap((a, i) => INPUT_CHECKS.slice(i + 1).map((b) => ({ rules: [{ check: a }, { check: b }], weight: INPUT_PAIR_WEIGHT })));

export const bot: RiskTable = {
  category: 'bot',
  observedOnly: true,
  description: 'Automation driving the browser (Selenium, Playwright, Puppeteer, headless browsers) or a bot user agent.',
  rules: [
    // Tells an honest browser never shows weigh most; heuristics that misfire on odd setups, least. A
    // plain Chromium on a GPU-less desktop without a window manager (SwiftShader, no screen frame) must
    // stay low: that is a person on a VM or a thin client, not a bot.
    { check: 'navigator_webdriver_true', weight: 60 },
    { check: 'bot_framework_globals', weight: 60 },
    { check: 'ua_is_bot', weight: 60 },
    { check: 'event_istrusted_synthetic', weight: 40 },
    { check: 'window_process_present', weight: 30 },
    { check: 'webgl_swiftshader_renderer', weight: 12 },
    { check: 'screen_frame_all_zero_desktop', weight: 10 },
    { check: 'uach_missing_on_chrome', weight: 20 },
    { check: 'fonts_empty_on_desktop', weight: 20 },
    { check: 'mediadevices_absent_modern_ua', weight: 15 },
    { check: 'widevine_missing_on_chrome', weight: 15 },
    { check: 'speech_voices_empty_on_desktop_chrome', weight: 15 },
    { check: 'devtools_open_during_flow', weight: 10 },
    { check: 'window_larger_than_screen', weight: 15 },
    ...INPUT_CHECKS.map((check) => ({ check, weight: INPUT_WEIGHT })),
  ],
  combinations: inputPairs,
  thresholds: standardThresholds,
};
