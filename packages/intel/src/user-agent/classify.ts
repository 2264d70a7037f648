import type { DeviceClass } from '@vigil/core';
import { isbot } from 'isbot';
import { UAParser } from 'ua-parser-js';

/** What the browser says of itself beyond the User-Agent header, when the SDK or client hints tell. */
export interface UserAgentHints {
  /** navigator.maxTouchPoints: iPadOS sends a Mac user agent, and only touch tells the two apart. */
  touchPoints?: number | null;
  /** Sec-CH-UA-Mobile. */
  mobile?: boolean | null;
  /** Sec-CH-UA-Platform (`"Android"`, `"Windows"`, …). */
  platform?: string | null;
}

export interface UserAgentFacts {
  browser: string | null;
  os: string | null;
  deviceClass: DeviceClass;
  isBot: boolean;
}

const desktopOs = /^(Windows|Mac OS|macOS|Linux|Ubuntu|Debian|Fedora|Chrom(e|ium) OS|FreeBSD|OpenBSD|NetBSD|Solaris|Mint|Arch|Gentoo|SUSE|Red Hat|CentOS)/i;
const otherDevices = new Set(['console', 'smarttv', 'wearable', 'embedded', 'xr']);

/**
 * Computers that run Android: a Chromebook's Android apps and web views (`Android 11; Acer Chromebook Spin
 * 513 Build/…`), and Android builds for laptops and desktops (`Inspiron 3180 Build/…`, `HP 635 Notebook PC`).
 * ua-parser-js reads them as phones or tablets (the vendor's name, or no `Mobile`). Matched on the model in
 * the platform parentheses, by names only computers carry: Chromebook and its kin, notebook, laptop,
 * desktop, and the laptop and desktop lines of Dell, HP, Lenovo, Asus and Apple. Never by `PC` or `Tab`
 * alone (`Wxt Tab PC` is a tablet), and a ThinkPad Tablet or IdeaPad tablet stays a tablet.
 */
const androidComputerModel =
  /\b(chromebook|chromebox|chromebase|chromebit|pixelbook|notebook|laptop|desktop|inspiron|latitude|vostro|optiplex|elitebook|probook|thinkcentre|zenbook|vivobook|macbook)\b|\bthinkpad\b(?! tablet)/i;
const isAndroidComputer = (userAgent: string) => {
  const platform = /\(([^)]*)/.exec(userAgent)?.[1] ?? '';
  return /\bAndroid\b/.test(platform) && androidComputerModel.test(platform) && !/\btablet\b/i.test(platform);
};

/**
 * Browser, OS and device class (computer, tablet, mobile, other) from the user agent (ua-parser-js 1.x,
 * MIT; 2.x is AGPL), corrected by client hints and touch support, and bots by isbot.
 */
export function classifyUserAgent(userAgent: string, hints: UserAgentHints = {}): UserAgentFacts {
  const parsed = new UAParser(userAgent).getResult();
  const isBot = isbot(userAgent);
  const os = parsed.os.name ?? null;
  let deviceClass: DeviceClass;
  const type = parsed.device.type;
  if (isBot) deviceClass = 'other';
  // ChromeOS (`CrOS`), and Android on a Chromebook or a laptop: computers, whatever the device type says.
  else if (/\bCrOS\b/.test(userAgent) || isAndroidComputer(userAgent)) deviceClass = 'computer';
  else if (type === 'mobile') deviceClass = 'mobile';
  else if (type === 'tablet') deviceClass = 'tablet';
  else if (type && otherDevices.has(type)) deviceClass = 'other';
  else if (os === 'Android') deviceClass = /Mobile/.test(userAgent) ? 'mobile' : 'tablet';
  else if (os && desktopOs.test(os)) deviceClass = 'computer';
  else deviceClass = 'other';
  // iPadOS 13+ asks for desktop pages with a Mac user agent; a Mac has no touch screen.
  if (deviceClass === 'computer' && /^Mac/.test(os ?? '') && (hints.touchPoints ?? 0) > 1) deviceClass = 'tablet';
  if (hints.mobile === true && deviceClass === 'computer') deviceClass = 'mobile';
  return { browser: parsed.browser.name ?? null, os, deviceClass, isBot };
}
