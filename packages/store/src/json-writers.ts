import type { FamiliarityProfile, FamiliarValue, GeoLocation, LocatedEvaluation, PendingLogin, RiskContribution, RiskExplanation } from '@vigil/core';
import fastJson from 'fast-json-stringify';

// Two documents every evaluation may write, written by code generated from their schemas
// (fast-json-stringify) rather than by JSON.stringify, which on Node 20's V8 writes about 250–450 MB/s:
// a familiar set of 1.2 kB took 4.5 µs, 2.1–2.6 µs generated; the risks' 0.85 kB 2.7–3.7 µs, 1.3–1.4
// generated (docs/architecture.md). The text is the same as JSON.stringify's (json-writers.test.ts).
// A generated writer writes only the properties its schema names: a field added to one of these
// types must be added here too (the `satisfies` below fail to compile until it is).

const NUMBER = { type: 'number' } as const;
const STRING = { type: 'string' } as const;
const NULLABLE_NUMBER = { type: ['number', 'null'] } as const;
const NULLABLE_STRING = { type: ['string', 'null'] } as const;

const GEO_LOCATION = {
  type: 'object',
  properties: { latitude: NUMBER, longitude: NUMBER, accuracyKm: NUMBER, precision: STRING } satisfies Record<keyof GeoLocation, unknown>,
} as const;

const LOCATED_EVALUATION = {
  type: ['object', 'null'],
  properties: {
    at: NUMBER,
    location: GEO_LOCATION,
    country: NULLABLE_STRING,
    relay: { type: 'boolean' },
    deviceId: NULLABLE_STRING,
  } satisfies Record<keyof LocatedEvaluation, unknown>,
} as const;

const FAMILIAR_VALUE = { type: 'object', properties: { count: NUMBER, firstAt: NUMBER, lastAt: NUMBER } satisfies Record<keyof FamiliarValue, unknown> } as const;

const PENDING_LOGIN = {
  type: 'object',
  properties: {
    evaluation: STRING,
    at: NUMBER,
    traits: { type: 'object', additionalProperties: STRING },
    place: LOCATED_EVALUATION,
    suspect: { type: 'boolean' },
  } satisfies Record<keyof PendingLogin, unknown>,
} as const;

const FAMILIAR_SET_PROPERTIES = {
  version: NUMBER,
  trustedLogins: NUMBER,
  lastTrustedAt: NULLABLE_NUMBER,
  lastUserAgent: NULLABLE_STRING,
  place: LOCATED_EVALUATION,
  values: { type: 'object', additionalProperties: { type: 'object', additionalProperties: FAMILIAR_VALUE } },
  pending: { type: 'array', items: PENDING_LOGIN },
} satisfies Record<keyof FamiliarityProfile, unknown>;

const FAMILIAR_SET_KEYS = Object.keys(FAMILIAR_SET_PROPERTIES).length;

const RISKS = {
  type: 'array',
  items: {
    type: 'object',
    properties: {
      category: STRING,
      score: NUMBER,
      severity: STRING,
      contributions: { type: 'array', items: { type: 'object', properties: { check: STRING, weight: NUMBER } satisfies Record<keyof RiskContribution, unknown> } },
    } satisfies Record<keyof RiskExplanation, unknown>,
  },
} as const;

/**
 * A writer generated from `schema` (compiled at first use), and JSON.stringify wherever it cannot be
 * trusted to write the same text: a value `fits` refuses, or one it throws on (a number that is not
 * finite, which JSON.stringify writes as null).
 */
function generatedWriter<T>(schema: object, fits: (value: T) => boolean = () => true): (value: T) => string {
  let write: ((value: T) => string) | undefined;
  return (value) => {
    if (!fits(value)) return JSON.stringify(value);
    write ??= fastJson(schema) as (value: T) => string;
    try {
      return write(value);
    } catch {
      return JSON.stringify(value);
    }
  };
}

/**
 * A familiar set's stored text. One with a property the schema does not name (a newer node's, read
 * during an upgrade in a cluster) is written whole by JSON.stringify, so that nothing of it is lost.
 */
export const familiarSetJson = generatedWriter<FamiliarityProfile>(
  { type: 'object', properties: FAMILIAR_SET_PROPERTIES },
  (profile) => Object.keys(profile).length === FAMILIAR_SET_KEYS,
);

/** An evaluation's risks as its row stores them. */
export const risksJson = generatedWriter<readonly RiskExplanation[]>(RISKS);
