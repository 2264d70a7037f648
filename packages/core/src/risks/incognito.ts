import { type RiskTable, standardThresholds } from './types.js';

export const incognito: RiskTable = {
  category: 'incognito',
  observedOnly: true,
  description: 'A private window: storage that will be forgotten, so device history means less.',
  rules: [
    { check: 'storage_quota_incognito', weight: 60 },
    { check: 'indexeddb_failures', weight: 30 },
    { check: 'permissions_stuck_prompt', weight: 25 },
    { check: 'notifications_private_spoof', weight: 25 },
    { check: 'languages_dedup_incognito', weight: 20 },
  ],
  combinations: [],
  thresholds: standardThresholds,
};
