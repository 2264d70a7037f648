import { updateReferenceData } from '@vigil/intel';
import type { Config } from '../../config/config.js';
import { parse } from '../args.js';
import type { Io } from '../main.js';

/**
 * `vigil data update [--from URL] [--json]`: refreshes every list that has an upstream into
 * `<data dir>/reference`; a running server picks them up within seconds. Exit code 1 when a list failed
 * (it keeps its previous copy).
 */
export async function dataUpdate(config: Config, args: string[], io: Io): Promise<number> {
  const { values } = parse(args, { from: { type: 'string' }, json: { type: 'boolean' } });
  const results = await updateReferenceData({ dir: config.referenceDir, ...(values.from ? { from: values.from } : {}) });
  if (values.json) io.out(JSON.stringify(results));
  else {
    for (const r of results) io.out(r.status === 'updated' ? `updated  ${r.list} (${r.entries} entries)` : `FAILED   ${r.list}: ${r.error} (the previous copy stays)`);
    io.out(`Reference data in ${config.referenceDir}`);
  }
  return results.some((r) => r.status === 'failed') ? 1 : 0;
}
