import { describe, expect, it } from 'vitest';
import { botObservations } from './bot_observations.js';
import { browserSignals, facts, input } from './test-support/fixtures.js';

describe('bot observations', () => {
  it('ua_is_bot from the parsed user agent, absent when it is unknown', () => {
    const ua = (isBot: boolean) => facts({ userAgent: { deviceClass: 'other', browser: null, os: null, isBot } });
    expect(botObservations(input(), ua(true))).toEqual({ ua_is_bot: true });
    expect(botObservations(input(), ua(false))).toEqual({ ua_is_bot: false });
    expect(botObservations(input(), facts())).toEqual({});
  });
});

describe('bot observations from the browser signals', () => {
  const chrome = facts({ userAgent: { deviceClass: 'computer', browser: 'Chrome', os: 'Linux', isBot: false } });
  const signals = (over: Record<string, unknown> = {}) =>
    input({
      signals: {
        webdriver: { value: false, ms: 0 },
        automation: { value: [], ms: 0 },
        process_object: { value: false, ms: 0 },
        webgl: { value: { vendor: 'Google Inc. (Intel)', renderer: 'ANGLE (Intel, Mesa Intel(R) UHD Graphics 620)' }, ms: 1 },
        browser_features: { value: { ua_client_hints: { brands: ['Chromium'], mobile: false }, media_devices: true, plugins: 5, screen_frame: [0, 0, 0, 40] }, ms: 0 },
        input_events: { value: { trusted: 4, synthetic: 0 }, ms: 0 },
        ...over,
      },
    });

  it('sees nothing wrong in an ordinary desktop Chrome', () => {
    expect(botObservations(signals(), chrome)).toEqual({
      ua_is_bot: false,
      navigator_webdriver_true: false,
      bot_framework_globals: false,
      window_process_present: false,
      webgl_swiftshader_renderer: false,
      uach_missing_on_chrome: false,
      mediadevices_absent_modern_ua: false,
      screen_frame_all_zero_desktop: false,
      event_istrusted_synthetic: false,
    });
  });

  it('raises each tell of automation', () => {
    const bot = botObservations(
      signals({
        webdriver: { value: true, ms: 0 },
        automation: { value: ['__pwInitScripts'], ms: 0 },
        process_object: { value: true, ms: 0 },
        webgl: { value: { vendor: 'Google Inc. (Google)', renderer: 'ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero)), SwiftShader driver)' }, ms: 1 },
        browser_features: { value: { ua_client_hints: null, media_devices: false, plugins: 0, screen_frame: [0, 0, 0, 0] }, ms: 0 },
        input_events: { value: { trusted: 0, synthetic: 3 }, ms: 0 },
      }),
      chrome,
    );
    expect(bot).toMatchObject({
      navigator_webdriver_true: true,
      bot_framework_globals: true,
      window_process_present: true,
      webgl_swiftshader_renderer: true,
      uach_missing_on_chrome: true,
      mediadevices_absent_modern_ua: true,
      screen_frame_all_zero_desktop: true,
      event_istrusted_synthetic: true,
    });
  });

  it('leaves a check absent when its probe failed or was not sent', () => {
    const checks = botObservations(input({ signals: { webdriver: { error: 'timeout', ms: 100 }, webgl: { error: 'unsupported', ms: 1 } } }), chrome);
    expect(checks).toEqual({ ua_is_bot: false });
  });
});

describe('bot observations from fonts and media', () => {
  const chrome = facts({ userAgent: { deviceClass: 'computer', browser: 'Chrome', os: 'Windows', isBot: false } });
  const phone = facts({ userAgent: { deviceClass: 'mobile', browser: 'Chrome', os: 'Android', isBot: false } });
  const checks = (over: Record<string, unknown>, f = chrome) => botObservations(input({ signals: browserSignals('blink', over) }), f);

  it('is quiet for a Google Chrome with fonts, Widevine and voices', () => {
    expect(checks({})).toMatchObject({ fonts_empty_on_desktop: false, widevine_missing_on_chrome: false, speech_voices_empty_on_desktop_chrome: false });
  });

  it('raises each when its tell shows', () => {
    expect(checks({ fonts: [] }).fonts_empty_on_desktop).toBe(true);
    expect(checks({ media: { widevine: false, speech_voices: 0 } })).toMatchObject({ widevine_missing_on_chrome: true, speech_voices_empty_on_desktop_chrome: true });
  });

  it('does not judge a Chromium build (no Widevine, no voices by design) or a phone', () => {
    const chromium = { ua_client_hints: { brands: ['Chromium'], mobile: false }, media_devices: true, plugins: 5, screen_frame: [0, 0, 0, 0] };
    const got = checks({ browser_features: chromium, media: { widevine: false, speech_voices: 0 } });
    expect(got.widevine_missing_on_chrome).toBeUndefined();
    expect(got.speech_voices_empty_on_desktop_chrome).toBeUndefined();
    expect(checks({ fonts: [] }, phone).fonts_empty_on_desktop).toBeUndefined();
  });
});
