import { describe, expect, it } from 'vitest';
import { classifyUserAgent } from './classify.js';

// Computers that say Android, and tablets that must stay tablets. The Notebook PC, Pixelbook, Tab PC,
// ThinkPad Tablet, IdeaPad and ZTE cases are from uap-core's device tests (Apache-2.0,
// shared/data/ua/uap_core_test_device.jsonl); the Chromebook and Inspiron ones are Android apps and web views
// on those machines.
const computers = [
  'Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36',
  'Mozilla/5.0 (X11; CrOS aarch64 15633.69.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/119.0.6045.212 Safari/537.36',
  'Mozilla/5.0 (Linux; Android 11; Acer Chromebook Spin 513 Build/RQ3A.211001.001; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/120.0.6099.144 Safari/537.36',
  'Mozilla/5.0 (Linux; Android 9; Acer Chromebook 14 (CB3-431) Build/R86-13421.89.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/86.0.4240.198 Safari/537.36',
  'Mozilla/5.0 (Linux; Android 9; Chromebook Build/R76) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/76.0.3809.132 Safari/537.36',
  'Mozilla/5.0 (Linux; Android 7.1.1; Inspiron 3180 Build/NMF26F) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/80.0.3987.99 Safari/537.36',
  'Mozilla/5.0 (Linux; Android 4.3; HP 635 Notebook PC Build/JSS15J) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/28.0.1500.63 Safari/537.36 OPR/15.0.1162.60140',
  'Mozilla/5.0 (Linux; U; Android 4.3; en-us; HP Compaq 2510p Notebook PC Build/JSS15J) AppleWebKit/534.30 (KHTML, like Gecko) Version/4.0 Mobile Safari/534.30',
  'com.abc.mobile/5.7.14/Mozilla/5.0 (Linux; Android 9; Google Pixelbook Go Build/R99-14469.59.0; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/100.0.4896.127 Safari/537.36',
];

const tablets = [
  'Mozilla/5.0 (Linux; Android 14; SM-X710) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Linux; Android 4.0.3;  ThinkPad Tablet Build/ThinkPadTablet_A400_03) AppleWebKit/535.19 (KHTML, like Gecko) Chrome/18.0.1025.133  Safari/535.19',
  'Mozilla/5.0 (Linux; Android 4.0.4; Ideapad K1 Build/IMM76L) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/31.0.1650.57 Safari/537.36 OPR/18.0.1290.67495',
  'Mozilla/5.0 (Linux; Android 4.0.3; Wxt Tab PC 65CXi Build/IML74K) AppleWebKit/535.19 (KHTML, like Gecko) Chrome/18.0.1025.166 Safari/535.19',
];

const phones = [
  'Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Mobile Safari/537.36',
  'Mozilla/5.0 (Linux; Android PC-2.2.2; en-US; ZTE-U V880 Build/CDQDM) AppleWebKit/535.19 (KHTML, like Gecko) Chrome/18.0.1025.166 Mobile Safari/535.19',
];

describe('computers that say Android or ChromeOS', () => {
  it('are computers: Chromebooks (ChromeOS and their Android apps) and Android laptops', () => {
    for (const ua of computers) expect(classifyUserAgent(ua).deviceClass, ua).toBe('computer');
  });

  it('leaves real Android tablets tablets and phones phones', () => {
    for (const ua of tablets) expect(classifyUserAgent(ua).deviceClass, ua).toBe('tablet');
    for (const ua of phones) expect(classifyUserAgent(ua).deviceClass, ua).toBe('mobile');
  });
});
