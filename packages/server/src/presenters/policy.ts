import type { StoredPolicy } from '@vigil/store';
import { iso } from './time.js';

export function presentPolicy(p: StoredPolicy) {
  return {
    id: p.id,
    object: 'policy' as const,
    environment: p.environment,
    name: p.name,
    events: p.events,
    priority: p.priority,
    enabled: p.enabled,
    conditions: p.conditions as unknown as Record<string, unknown>,
    action: p.action,
    version: p.version,
    createdAt: iso(p.createdAt),
    updatedAt: iso(p.updatedAt),
  };
}
