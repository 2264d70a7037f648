import type { RiskTable } from './types.js';

export const scraping: RiskTable = {
  category: 'scraping',
  observedOnly: false,
  description: 'Automated collection of pages or data from datacenters, crawlers and anonymizers.',
  rules: [
    { check: 'ua_is_bot', weight: 50 },
    { check: 'ip_is_crawler', weight: 40 },
    { check: 'ip_is_hosting', weight: 30 },
    { check: 'ip_is_tor', weight: 25 },
    { check: 'ip_is_proxy', weight: 15 },
    { check: 'ip_is_vpn', weight: 10 },
  ],
  combinations: [{ rules: [{ check: 'ip_is_hosting' }, { check: 'ua_is_bot' }], weight: 20 }],
  // A VPN alone is a privacy choice: it stays low; hosting alone is medium.
  thresholds: { medium: 30, high: 55, maximum: 85 },
};
