import { IN_LIST_PREFIX } from './lists.js';

/** The check families of SPEC §4, by their API names. */
export type CheckFamilyName =
  | 'identity_newness'
  | 'network_reputation'
  | 'velocity_and_geography'
  | 'device_counts'
  | 'email_quality'
  | 'phone_quality'
  | 'account_state'
  | 'lists'
  | 'bot_observations'
  | 'tampering_observations'
  | 'anti_fingerprinting_observations'
  | 'incognito_observations'
  | 'replay_observations';

export type CheckType = 'boolean' | 'number' | 'string';
export type CheckUnit = 'days' | 'km' | 'km/h' | 'count';

/** One check as the policy editor and `GET /v3/checks` show it. */
export interface CheckDefinition {
  name: string;
  family: CheckFamilyName;
  type: CheckType;
  /** One sentence for operators, with the exact definition (windows, thresholds). */
  description: string;
  unit?: CheckUnit;
  /** The check takes parameters in a policy condition (`params`), of this shape. */
  params?: 'event_count';
}

const check = (family: CheckFamilyName, name: string, type: CheckType, description: string, extra: { unit?: CheckUnit; params?: 'event_count' } = {}): CheckDefinition =>
  Object.freeze({ name, family, type, description, ...extra });

const identity = (name: string, type: CheckType, description: string, unit?: CheckUnit) => check('identity_newness', name, type, description, unit ? { unit } : {});
const network = (name: string, type: CheckType, description: string, unit?: CheckUnit) => check('network_reputation', name, type, description, unit ? { unit } : {});
const travel = (name: string, type: CheckType, description: string, unit?: CheckUnit) => check('velocity_and_geography', name, type, description, unit ? { unit } : {});
const count = (name: string, description: string) => check('device_counts', name, 'number', description, { unit: 'count' });
const email = (name: string, type: CheckType, description: string) => check('email_quality', name, type, description);
const phone = (name: string, type: CheckType, description: string) => check('phone_quality', name, type, description);
const account = (name: string, description: string) => check('account_state', name, 'boolean', description);
const observed = (family: CheckFamilyName) => (name: string, description: string) => check(family, name, 'boolean', description);
const bot = observed('bot_observations');
const tampering = observed('tampering_observations');
const antiFingerprinting = observed('anti_fingerprinting_observations');
const incognito = observed('incognito_observations');
const replay = observed('replay_observations');

/**
 * Every web check of SPEC §4, in the order the dashboard lists them: the one registry policies are
 * validated against and `GET /v3/checks` serves. `in_list:<list>` is dynamic (one per list) and answered
 * by `lookupCheck`. The device-integrity family (`jailbroken_ios`, `rooted_android`, `is_simulator`,
 * `is_emulator`, `debugger_attached`, `ui_testing`) comes only from mobile SDKs and is not listed until one
 * exists. The browser observations (bot, tampering, anti-fingerprinting, incognito) are listed so
 * policies can name them; they stay absent until the browser SDK collects their signals.
 */
export const checkRegistry: readonly CheckDefinition[] = Object.freeze([
  // Identity newness
  identity('is_new_user', 'boolean', 'True on the first evaluation of this user.'),
  identity('is_new_ip', 'boolean', 'True when this IP address was not seen for this user within the retention window (default 180 days).'),
  identity('is_new_fingerprint', 'boolean', 'True when this browser fingerprint was not seen for this user within the retention window (default 180 days).'),
  identity('is_new_device', 'boolean', 'True when this device (its first-party cookie) was not seen for this user within the retention window (default 180 days).'),
  identity('user_age_days', 'number', 'Whole days since this user was first seen (0 on the first evaluation).', 'days'),
  identity('fingerprint_user_count', 'number', 'How many users, this one included, have been seen with this browser fingerprint.', 'count'),
  identity('device_user_count', 'number', 'How many users, this one included, have been seen on this device.', 'count'),
  identity('ip_user_count', 'number', 'How many users, this one included, have been seen from this IP address.', 'count'),
  // Familiarity: measured against the user's trusted logins only (allowed at low risk, consumed by the
  // backend or verified by a challenge), within retention; absent until the user has one.
  identity(
    'trusted_login_count',
    'number',
    "How many of the user's logins are in their familiar set (allowed at low ato risk, consumed by the backend or followed by a passed challenge, within retention), each visit once: one under a minute after the last learned, with its values, browser and place, is not counted.",
    'count',
  ),
  identity('ip_prefix_is_new', 'boolean', "True when no trusted login of the user came from this IP address's network (its /24 for IPv4, /48 for IPv6) within retention."),
  identity('asn_is_new', 'boolean', "True when no trusted login of the user came from this IP address's autonomous system (network provider) within retention."),
  identity('city_is_new', 'boolean', 'True when no trusted login of the user was geolocated to this city within retention (absent when the place is known only to the country).'),
  identity('country_is_new', 'boolean', 'True when no trusted login of the user came from this country within retention.'),
  identity('ua_is_new', 'boolean', 'True when no trusted login of the user sent this exact user agent string within retention (a browser update makes it new).'),
  identity('ua_family_is_new', 'boolean', 'True when no trusted login of the user used this browser family (Chrome, Safari, Firefox…, any version) within retention.'),
  identity('os_is_new', 'boolean', 'True when no trusted login of the user used this operating system (any version) within retention.'),
  identity('device_class_is_new', 'boolean', 'True when no trusted login of the user used this kind of device (computer, tablet, mobile) within retention.'),
  identity(
    'ua_repeats_last_login',
    'boolean',
    "True when the user agent string is exactly that of the user's last trusted login; with a new network it is what an attacker who copied the victim's browser sends.",
  ),
  identity(
    'network_familiarity',
    'number',
    "How familiar the network is, 0–1: the largest of the shares of the user's trusted logins from this IP (×1), its /24 or /48 (×0.9), its ASN (×0.75), its city (×0.4) and its country (×0.2), within retention.",
  ),
  identity(
    'browser_familiarity',
    'number',
    "How familiar the browser is, 0–1: the largest of the shares of the user's trusted logins with this exact user agent (×1), this browser family on this OS (the smaller of the two shares, ×0.8) and this device class (×0.2), within retention.",
  ),

  // Network reputation
  network('ip_is_vpn', 'boolean', 'True when the IP address is a known VPN exit.'),
  network('ip_is_proxy', 'boolean', 'True when the IP address is a known open or commercial proxy.'),
  network('ip_is_tor', 'boolean', 'True when the IP address is a Tor exit node.'),
  network('ip_is_hosting', 'boolean', 'True when the IP address belongs to a hosting or cloud provider rather than an access network.'),
  network('ip_is_relay', 'boolean', 'True when the IP address is a privacy relay such as iCloud Private Relay (a privacy feature, not an attack).'),
  network('ip_is_crawler', 'boolean', 'True when the IP address is in the published ranges of a search engine or AI crawler.'),
  network('ip_country', 'string', 'The ISO 3166-1 alpha-2 country of the IP address, from geolocation.'),
  network('ip_asn', 'number', 'The autonomous system number that announces the IP address.'),
  network('ip_list_age_days', 'number', 'Age in days of the oldest IP intelligence list consulted for this evaluation.', 'days'),

  // Velocity and geography
  travel(
    'impossible_travel',
    'boolean',
    "True when travel between this evaluation's place and the user's neighbouring located evaluation in time would take more than 1,000 km/h over more than both places' geolocation uncertainty (each at least 100 km); relay and country-only locations never raise it.",
  ),
  travel('travel_distance_km', 'number', "Great-circle distance between this evaluation's place and its neighbouring located evaluation on the fastest leg, in km.", 'km'),
  travel(
    'travel_speed_kmh',
    'number',
    "Speed from the user's neighbouring located evaluation to this one, in km/h, over the fastest leg (elapsed time counted as at least one minute).",
    'km/h',
  ),
  travel('country_change', 'boolean', "True when the IP address's country differs from that of the user's previous located evaluation."),
  travel(
    'concurrent_sessions',
    'boolean',
    "True when the account is live in two places at once: another of the user's devices was active in the session window (default 5 minutes) while this device's session was going on; a device that went silent before this one took over does not count.",
  ),
  travel(
    'concurrent_session_count',
    'number',
    "How many of the user's other devices were active in the session window (default 5 minutes) while this device's session was going on (`concurrent_sessions` is true when it is 1 or more).",
    'count',
  ),
  check(
    'velocity_and_geography',
    'event_count',
    'number',
    'How many evaluations of an action (or `*` for any) by this user, IP, fingerprint or device happened in a sliding window such as 10m, this one included.',
    { unit: 'count', params: 'event_count' },
  ),
  travel('failed_challenges_last_day', 'number', "How many of this user's challenges failed in the last 24 hours.", 'count'),

  // Device counts
  count('device_count', 'Distinct devices this user used in the device window (default 30 days), this one included.'),
  count('computer_device_count', 'Distinct computers this user used in the device window (default 30 days), this one included.'),
  count('tablet_device_count', 'Distinct tablets this user used in the device window (default 30 days), this one included.'),
  count('mobile_device_count', 'Distinct phones this user used in the device window (default 30 days), this one included.'),
  count('people_count', "The fewest people that explain this user's devices within retention, given which devices were active together from places too far apart for one person."),
  count(
    'active_people_count',
    "The fewest people that explain this user's devices used in the device window (default 30 days), given which devices were active together from places too far apart for one person.",
  ),

  // Email quality
  email('email_is_disposable', 'boolean', "True when the email address's domain is a disposable (throwaway) mail provider."),
  email('email_is_webmail', 'boolean', "True when the email address's domain is a free webmail provider."),
  email('email_is_invalid', 'boolean', 'True when the email address has invalid syntax or, when DNS is available, its domain has no mail exchanger.'),
  email('email_is_accept_all', 'boolean', "True when the email address's mail server accepts mail for any address (only when an SMTP probe is configured)."),
  email('email_domain', 'string', "The email address's domain, in lower case."),

  // Phone quality
  phone('phone_is_invalid', 'boolean', 'True when the phone number is not a valid number.'),
  phone('phone_country', 'string', 'The ISO 3166-1 alpha-2 country of the phone number.'),
  phone('phone_type', 'string', 'The kind of phone line (mobile, fixed or voip), when known.'),

  // Account state
  account('is_email_verified', "True when the user's email address was verified by a passed challenge."),
  account('is_phone_verified', "True when the user's phone number was verified by a passed challenge."),
  account('is_suspended', 'True when the user is suspended, from a suspend verdict until an operator lifts it.'),
  account('origin_is_new', "True when the page's origin was not seen for this project within the origin window (default 90 days; client evaluations only)."),

  // Bot observations
  bot('bot_framework_globals', 'True when the page exposes globals that automation frameworks leave behind (Selenium, Puppeteer, Playwright, PhantomJS and the like).'),
  bot('navigator_webdriver_true', 'True when the browser reports navigator.webdriver, as browsers under automation do.'),
  bot('event_istrusted_synthetic', "True when the user's input arrived as script-generated events (isTrusted false) rather than real input."),
  bot('window_process_present', 'True when a Node.js process object is present in the page, as in Electron-based automation.'),
  bot('mediadevices_absent_modern_ua', 'True when navigator.mediaDevices is missing although the user agent claims a modern browser that always has it.'),
  bot('widevine_missing_on_chrome', 'True when the user agent claims desktop Chrome but the Widevine DRM module is unavailable, as in headless Chrome.'),
  bot('webgl_swiftshader_renderer', 'True when WebGL renders with SwiftShader, the software renderer of headless Chrome and GPU-less machines.'),
  bot('uach_missing_on_chrome', 'True when the user agent claims Chrome but the browser offers no User-Agent Client Hints.'),
  bot('speech_voices_empty_on_desktop_chrome', 'True when desktop Chrome reports no speech synthesis voices, as headless Chrome does.'),
  bot('screen_frame_all_zero_desktop', "True when a desktop browser's screen frame (space taken by taskbars and docks) is zero on every side, as in headless browsers."),
  bot('fonts_empty_on_desktop', 'True when a desktop browser reports none of the common system fonts, as bare headless environments do.'),
  bot('ua_is_bot', 'True when the user agent string declares a bot, crawler or automation tool (checked on the server).'),
  bot(
    'input_without_pointer_path',
    'True when every mouse press on the page (at least one) came with no pointer path before it (fewer than 3 mouse moves since the page loaded or the previous press), as protocol-driven clicks do on a computer.',
  ),
  bot(
    'pointer_path_linear',
    'True when every mouse press whose path could be judged (at least one; its last 6 to 32 moves cover 20 px or more) ended in a straight line travelled in equal steps (6 or more moves covering 20 px or more, none straying 0.5 px from the line, their lengths varying by under 5 %), as the interpolated "steps" of automation tools give on a computer.',
  ),
  bot(
    'click_at_exact_centre',
    'True when every mouse press (at least one) landed within 1 px of the centre of the element pressed (or of the button, link or field it is in), where automation tools click on a computer.',
  ),
  bot(
    'mouse_pressure_zero',
    'True when a mouse press on a computer reported a pressure of 0, which the Pointer Events specification rules out for a pressed mouse button (browsers report 0.5) and the debugging protocol sends unless told otherwise.',
  ),
  bot(
    'text_without_key_events',
    "True when 2 or more characters were typed into a field on a computer (trusted insertText input) with no key pressed for them, as the debugging protocol's insertText (Playwright's fill) does; pastes and autofill are not counted.",
  ),
  bot(
    'shifted_key_without_shift',
    'True when a key that needs Shift was typed on a computer with no modifier held (a capital letter with Caps Lock off, or a symbol such as @ or ! from the key where the US layout puts it shifted), which no keyboard layout produces and the US keyboard that protocol tools emulate does.',
  ),
  bot(
    'synthetic_key_timing',
    "True when key timing on a computer shows no hand: with 4 or more keys the median time a key is held is under 15 ms, or with 4 or more gaps 80 % or more of the gaps from a key's release to the next press are under 10 ms and no key was pressed before the last was released (absent under a clock coarser than 5 ms).",
  ),
  bot(
    'window_larger_than_screen',
    "True when a desktop browser's window is larger than its screen by more than 32 px, or (at a pixel ratio of exactly 1) its page is larger than the window, as windows sized by an automation driver are.",
  ),
  bot(
    'devtools_open_during_flow',
    "True when the browser's developer tools were docked during the flow: the gap between the window and its page grew by 200 px or more since the SDK loaded, at the same pixel ratio (so not by zoom, nor by a sidebar that was always there).",
  ),

  // Tampering observations
  tampering(
    'prototype_integrity_fail',
    "True when built-in browser functions were redefined (they no longer look native) or the page's navigator says what a fresh iframe or a Web Worker does not, as spoofing extensions and anti-detect browsers do.",
  ),
  tampering('plugin_prototype_mismatch', 'True when navigator.plugins or mimeTypes lack their native prototypes, so they were faked.'),
  tampering('engine_probe_mismatch', 'True when probes of the JavaScript engine contradict the browser the user agent claims.'),
  tampering('math_random_patched', 'True when Math.random was replaced by a non-native function.'),
  tampering('uach_vs_ua_mismatch', 'True when the User-Agent Client Hints contradict the user agent string (platform, browser or version).'),
  tampering('notifications_permission_spoof', 'True when Notification.permission and the Permissions API disagree about notifications, a sign of a spoofed or headless browser.'),
  tampering('deviceorientation_permission_non_ios', 'True when the iOS-only DeviceOrientationEvent.requestPermission exists on a browser that does not claim to be iOS Safari.'),

  // Anti-fingerprinting observations
  antiFingerprinting('tor_browser_signature', "True when the browser shows Tor Browser's signature (letterboxed window sizes, uniform fonts and time zone)."),
  antiFingerprinting('safari_itp_lockdown', "True when Safari's advanced fingerprinting protection or Lockdown Mode hides or blurs browser attributes."),
  antiFingerprinting('firefox_etp_timer', 'True when Firefox coarsens its timers as its strict Enhanced Tracking Protection (fingerprinting protection) does.'),
  antiFingerprinting('brave_farbling_detected', 'True when Brave randomises ("farbles") canvas, audio or other attributes so the fingerprint changes per site and session.'),
  antiFingerprinting('firefox_rfp_detected', 'True when Firefox runs with resistFingerprinting (UTC time zone, rounded window size, uniform attributes).'),

  // Incognito observations
  incognito('languages_dedup_incognito', "True when the browser's language list is reduced the way a private window reports it."),
  incognito(
    'storage_quota_incognito',
    "True when the browser's storage behaves as a private window's: IndexedDB kept in memory (Chromium), the origin-private file system refused (Firefox) or a quota far below a normal profile's (older browsers).",
  ),
  incognito('permissions_stuck_prompt', 'True when permission queries stay at "prompt" the way they do in a private window.'),
  incognito('indexeddb_failures', 'True when IndexedDB is unavailable or fails to open, as in some private windows.'),
  incognito('notifications_private_spoof', 'True when notifications read as denied without the user having been asked, as a private window reports them.'),

  // Replay observations
  replay('consumed_nonce', 'True when the nonce presented was already used by an earlier evaluation (a replayed request).'),
  replay('nonce_session_mismatch', 'True when the nonce presented was issued to another browser session than the one presenting it.'),
  replay('unknown_nonce', 'True when the nonce presented was never issued by this server.'),
  replay('missing_nonce', 'True when a client evaluation presented no nonce.'),
  replay('missing_cookie', 'True when the browser did not present the first-party device cookie (a first visit, cleared storage, or a script).'),
  replay('session_expired', 'True when the nonce presented had expired before it was used.'),
]);

const byName = new Map(checkRegistry.map((d) => [d.name, d]));

/**
 * The definition of a check name a policy may use: one of the registry, or `in_list:<list>` for any list
 * name (whether the list exists is the caller's to check). Undefined for an unknown name.
 */
export function lookupCheck(name: string): CheckDefinition | undefined {
  if (name.startsWith(IN_LIST_PREFIX) && name.length > IN_LIST_PREFIX.length) {
    const list = name.slice(IN_LIST_PREFIX.length);
    return { name, family: 'lists', type: 'boolean', description: `True when a value of this evaluation of the type of the list "${list}" is in that list.` };
  }
  return byName.get(name);
}
