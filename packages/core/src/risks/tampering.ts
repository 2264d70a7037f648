import { type RiskTable, standardThresholds } from './types.js';

export const tampering: RiskTable = {
  category: 'tampering',
  observedOnly: true,
  description: 'The browser lies about itself: patched natives, spoofed client hints, stealth plugins.',
  rules: [
    { check: 'prototype_integrity_fail', weight: 50 },
    { check: 'engine_probe_mismatch', weight: 50 },
    { check: 'math_random_patched', weight: 40 },
    { check: 'plugin_prototype_mismatch', weight: 35 },
    { check: 'uach_vs_ua_mismatch', weight: 35 },
    { check: 'notifications_permission_spoof', weight: 25 },
    { check: 'deviceorientation_permission_non_ios', weight: 20 },
  ],
  combinations: [],
  thresholds: standardThresholds,
};
