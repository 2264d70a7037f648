import { WEBHOOK_EVENTS } from '@vigil/core';
import { Type } from 'typebox';
import { oneOf } from './closed-sets.js';

export const WebhookEventName = oneOf(WEBHOOK_EVENTS, 'An event a webhook endpoint can be sent');
const Events = Type.Array(WebhookEventName, {
  minItems: 1,
  maxItems: WEBHOOK_EVENTS.length,
  description: 'The events it is sent (default: every one but `evaluation.created`, one per evaluation)',
});
const Url = Type.String({ minLength: 1, maxLength: 2048, description: 'An http(s) URL that answers 2xx' });

export const WebhookEndpointIdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });
export const CreateWebhookEndpointBody = Type.Object({ url: Url, events: Type.Optional(Events) }, { additionalProperties: false });
export const UpdateWebhookEndpointBody = Type.Object(
  { url: Type.Optional(Url), events: Type.Optional(Events), rotate_secret: Type.Optional(Type.Boolean({ description: 'A new signing secret, answered once' })) },
  { additionalProperties: false },
);

const endpointFields = {
  id: Type.String(),
  object: Type.Literal('webhook_endpoint'),
  url: Type.String(),
  events: Type.Array(WebhookEventName),
  createdAt: Type.String({ format: 'date-time' }),
};
export const WebhookEndpointReply = Type.Object(endpointFields, { additionalProperties: false });
/** Only when it is made (or its secret rotated): the secret is never shown again. */
export const WebhookEndpointWithSecretReply = Type.Object(
  { ...endpointFields, secret: Type.String({ description: 'The signing secret (`whsec_…`), shown this once' }) },
  { additionalProperties: false },
);
export const WebhookEndpointListReply = Type.Object({ object: Type.Literal('list'), data: Type.Array(WebhookEndpointReply) }, { additionalProperties: false });

export const WebhookDeliveryReply = Type.Object(
  {
    id: Type.String({ description: 'Also its `webhook-id` header' }),
    endpoint: Type.Union([Type.String(), Type.Null()]),
    type: WebhookEventName,
    attempts: Type.Integer(),
    status: oneOf(['delivered', 'pending', 'failed'] as const),
    createdAt: Type.String({ format: 'date-time' }),
    delivered_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    next_attempt_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    last_error: Type.Union([Type.String(), Type.Null()]),
  },
  { additionalProperties: false },
);
export const WebhookDeliveriesQuery = Type.Object(
  {
    endpoint: Type.Optional(Type.String({ maxLength: 64 })),
    before: Type.Optional(Type.String({ format: 'date-time', maxLength: 64 })),
    limit: Type.Optional(Type.String({ maxLength: 3, pattern: '^[0-9]{1,3}$' })),
  },
  { additionalProperties: false },
);
export const WebhookDeliveryListReply = Type.Object({ object: Type.Literal('list'), data: Type.Array(WebhookDeliveryReply) });
export const WebhookDeliveryIdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });
