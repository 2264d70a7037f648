import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ErrorReply } from '../../schemas/evaluation.js';
import type { Deps } from '../../use-cases/deps.js';
import { secured } from './index.js';

const ListReply = Type.Object({
  name: Type.String(),
  kind: Type.String({ description: 'ip, email or geolocation' }),
  type: Type.String(),
  snapshot: Type.String({ description: 'Date of the upstream snapshot (YYYY-MM-DD)' }),
  age_days: Type.Integer(),
  entries: Type.Integer(),
});

const attribution = [
  'IP Geolocation by DB-IP (https://db-ip.com), CC BY 4.0',
  'IP to ASN: RouteViews and DB-IP via @ip-location-db/asn, CC BY 4.0',
  'Lists: SecOps-Institute/Tor-IP-Addresses (MIT), X4BNet/lists_vpn (MIT), lord-alfred/ipranges (CC0), client9/ipcat (MIT), disposable-email-domains (CC0), willwhite/freemail (ISC)',
];

/** The reference data in force and the age of every list (refresh with `vigil data update`). */
export function referenceDataRoute(deps: Deps): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/v3/reference-data',
      {
        schema: {
          tags: ['reference data'],
          operationId: 'getReferenceData',
          summary: 'Every reference list, its snapshot date and age, and the attributions its licences ask for',
          security: secured,
          response: { 200: Type.Object({ object: Type.Literal('list'), data: Type.Array(ListReply), attribution: Type.Array(Type.String()) }), '4xx': ErrorReply },
        },
      },
      async () => ({ object: 'list' as const, data: deps.intel.referenceData(deps.now()), attribution }),
    );
  };
}
