import type { Collector } from './collector.js';

/**
 * What Google Chrome ships and headless or stripped builds lack: the Widevine DRM module and speech
 * synthesis voices. Chromium builds (Debian's included) ship neither, so the checks only judge a browser
 * whose client hints say "Google Chrome". Voices load asynchronously, so this waits for them briefly.
 */
export const media: Collector = {
  name: 'media',
  stable: false,
  oncePerPage: true,
  collect: async () => ({ widevine: await widevine(), speech_voices: await speechVoices() }),
};

async function widevine(): Promise<boolean | null> {
  if (typeof navigator.requestMediaKeySystemAccess !== 'function') return null;
  const config = [{ initDataTypes: ['cenc'], videoCapabilities: [{ contentType: 'video/mp4; codecs="avc1.42E01E"' }] }];
  try {
    await navigator.requestMediaKeySystemAccess('com.widevine.alpha', config);
    return true;
  } catch {
    return false;
  }
}

async function speechVoices(): Promise<number | null> {
  if (typeof speechSynthesis === 'undefined') return null;
  const now = speechSynthesis.getVoices().length;
  if (now > 0) return now;
  await new Promise((resolve) => {
    speechSynthesis.addEventListener('voiceschanged', resolve, { once: true });
    setTimeout(resolve, 60);
  });
  return speechSynthesis.getVoices().length;
}
