import { classifyUserAgent } from '@vigil/intel';

/** What a device is, in the dashboard's words: its class and the browser and OS its user agent names. */
export function describeDevice(deviceClass: string | null, userAgent: string | null) {
  const ua = userAgent ? classifyUserAgent(userAgent) : null;
  return { device_class: deviceClass, browser: ua?.browser ?? null, os: ua?.os ?? null };
}
