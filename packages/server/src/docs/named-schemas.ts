// The OpenAPI document names its shapes: a schema given a `title` in schemas/ (`Evaluation`, `Error`,
// `Policy`, …) is published once under components.schemas and referred to everywhere it is used, so a
// generated SDK has an `Evaluation` type instead of the same object inline four times. Fastify keeps
// validating and serialising with the inline schemas; only the published document changes.

type Json = unknown;

/** Set on an operation whose body may be left out (app.ts); becomes `requestBody.required: false`. */
export const OPTIONAL_BODY = 'x-vigil-optional-body';
type Schema = Record<string, Json>;

const isObject = (v: Json): v is Schema => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Moves every titled schema into `components.schemas` and puts a `$ref` where it was. Two different
 * schemas under one title would make the name lie: that throws, and the docs test fails on it.
 */
export function nameSchemas<T extends { components?: Schema }>(document: T): T {
  const named = new Map<string, { schema: Schema; text: string }>();
  const walk = (node: Json): Json => {
    if (Array.isArray(node)) return node.map(walk);
    if (!isObject(node)) return node;
    const inner = Object.fromEntries(Object.entries(node).map(([k, v]) => [k, walk(v)]));
    const title = node.title;
    // Only schemas (they have a type or a combinator), never an operation or a path item with a title.
    if (typeof title !== 'string' || !/^[A-Z][A-Za-z]+$/.test(title) || !('type' in node || 'anyOf' in node || 'oneOf' in node)) return inner;
    const text = JSON.stringify(inner);
    const seen = named.get(title);
    if (seen && seen.text !== text) throw new Error(`Two different schemas are titled ${title}: give one another title`);
    named.set(title, { schema: inner, text });
    return { $ref: `#/components/schemas/${title}` };
  };
  const { components, ...rest } = document;
  const walked = walk(optionalBodies(rest)) as Schema;
  const schemas = {
    ...(isObject(components?.schemas) ? components.schemas : {}),
    ...Object.fromEntries([...named].sort(([a], [b]) => a.localeCompare(b)).map(([title, { schema }]) => [title, schema])),
  };
  return { ...walked, components: { ...components, schemas } } as unknown as T;
}

/** Operations marked OPTIONAL_BODY get `requestBody.required: false`, and lose the mark. */
function optionalBodies(document: Schema): Schema {
  if (!isObject(document.paths)) return document;
  const paths = Object.fromEntries(
    Object.entries(document.paths).map(([path, item]) => [
      path,
      isObject(item)
        ? Object.fromEntries(
            Object.entries(item).map(([method, operation]) => {
              if (!isObject(operation) || operation[OPTIONAL_BODY] !== true) return [method, operation];
              const { [OPTIONAL_BODY]: _mark, ...rest } = operation;
              return [method, isObject(rest.requestBody) ? { ...rest, requestBody: { ...rest.requestBody, required: false } } : rest];
            }),
          )
        : item,
    ]),
  );
  return { ...document, paths };
}
