export { parseIp } from './ip/normalize_ip.js';
export type { IpRange, ParsedIp } from './ip/normalize_ip.js';
