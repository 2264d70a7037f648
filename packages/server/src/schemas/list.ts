import { Type } from 'typebox';
import { ListTypeName } from './closed-sets.js';

export const ListType = ListTypeName;
export const ListName = Type.String({ maxLength: 64, pattern: '^[a-z0-9][a-z0-9_.-]{0,63}$', description: 'Lower case, as policies name it in `in_list:<name>`' });

export const CreateListBody = Type.Object({ name: ListName, type: ListType }, { additionalProperties: false });
export const ListIdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });
export const ListEntryParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }), value: Type.String({ minLength: 1, maxLength: 320 }) });
export const ListEntriesQuery = Type.Object(
  { limit: Type.Optional(Type.String({ maxLength: 4, pattern: '^[0-9]{1,4}$' })), after: Type.Optional(Type.String({ maxLength: 320 })) },
  { additionalProperties: false },
);

const ExpiresAt = Type.Optional(Type.Union([Type.String({ format: 'date-time', maxLength: 64 }), Type.Null()], { description: 'When the entry stops counting (ISO 8601)' }));
export const AddEntryBody = Type.Object({ value: Type.String({ minLength: 1, maxLength: 320 }), expires_at: ExpiresAt }, { additionalProperties: false });
export const BulkBody = Type.Union([
  Type.Object({ value: Type.String({ minLength: 1, maxLength: 320 }), expires_at: ExpiresAt }, { additionalProperties: false }),
  Type.Object({ values: Type.Array(Type.String({ minLength: 1, maxLength: 320 }), { minItems: 1, maxItems: 500 }), expires_at: ExpiresAt }, { additionalProperties: false }),
]);

export const ListReply = Type.Object({
  id: Type.String(),
  object: Type.Literal('list_definition'),
  name: Type.String(),
  type: ListTypeName,
  entries: Type.Integer(),
  createdAt: Type.String({ format: 'date-time' }),
});
export const EntryReply = Type.Object({
  value: Type.String(),
  expires_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
});
export const ListWithEntriesReply = Type.Object({ ...ListReply.properties, data: Type.Array(EntryReply), has_more: Type.Boolean() });
export const ListsReply = Type.Object({ object: Type.Literal('list'), data: Type.Array(ListReply) });
export const AddedReply = Type.Object({ added: Type.Integer(), total: Type.Integer() });
export const RemovedReply = Type.Object({ removed: Type.Integer(), total: Type.Integer() });
