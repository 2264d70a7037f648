import type { FastifySerializerCompiler } from 'fastify/types/schema.js';
import fastJson from 'fast-json-stringify';

const PRIMITIVE_TYPES = new Set(['string', 'number', 'integer', 'boolean', 'null']);

/** A record whose values are only ever primitives (an evaluation's checks, its metadata). */
function isRecordOfPrimitives(schema: Record<string, unknown>): boolean {
  if (schema.type !== 'object' || schema.properties !== undefined || typeof schema.patternProperties !== 'object' || schema.patternProperties === null) return false;
  const values = Object.values(schema.patternProperties as Record<string, Record<string, unknown>>);
  if (values.length !== 1) return false;
  const value = values[0]!;
  const branches = Array.isArray(value.anyOf) ? (value.anyOf as Record<string, unknown>[]) : [value];
  return branches.every((b) => typeof b.type === 'string' && PRIMITIVE_TYPES.has(b.type));
}

/**
 * `schema` as fast-json-stringify serializes it, with every record of primitives written by
 * JSON.stringify (an empty schema) instead. For such a record, fast-json-stringify tries each value
 * against the union of its types: an evaluation's 44 checks took 6.7 of the 11 µs its whole answer took
 * to serialize, and most of its allocations; JSON.stringify writes the same text for them in about one.
 * The published schema (OpenAPI, validation) is unchanged; what is filtered out of an answer (any
 * property an object schema does not name) is unchanged too: a record names none.
 */
export function serializedAs(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(serializedAs);
  if (typeof schema !== 'object' || schema === null) return schema;
  const object = schema as Record<string, unknown>;
  if (isRecordOfPrimitives(object)) return {};
  return Object.fromEntries(Object.entries(object).map(([key, value]) => [key, serializedAs(value)]));
}

/** A route's serializer compiler: its responses through `serializedAs`. */
export const recordsAsJson: FastifySerializerCompiler<unknown> = ({ schema }) => fastJson(serializedAs(schema) as Parameters<typeof fastJson>[0]);
