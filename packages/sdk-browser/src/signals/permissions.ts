import type { Collector } from './collector.js';

/**
 * Notification permission as the Notification API and the Permissions API each report it: they agree in
 * a genuine browser ("default" is "prompt"); old headless Chrome said denied/prompt, and scripts that fake
 * one forget the other. Also whether the iOS-only DeviceOrientationEvent.requestPermission exists.
 */
export const permissions: Collector = {
  name: 'permissions',
  stable: false,
  collect: async () => {
    const notification = typeof Notification !== 'undefined' ? Notification.permission : null;
    let query: string | null = null;
    try {
      query = navigator.permissions ? (await navigator.permissions.query({ name: 'notifications' as PermissionName })).state : null;
    } catch {
      query = null;
    }
    const orientation = (globalThis as { DeviceOrientationEvent?: { requestPermission?: unknown } }).DeviceOrientationEvent;
    return { notification, notification_query: query, orientation_permission: typeof orientation?.requestPermission === 'function' };
  },
};
