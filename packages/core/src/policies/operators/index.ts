import { OPERATORS, type Operator } from '../../closed-sets.js';
import { contains } from './contains.js';
import { eq } from './eq.js';
import { exists } from './exists.js';
import { gt } from './gt.js';
import { gte } from './gte.js';
import { inList } from './in.js';
import { lt } from './lt.js';
import { lte } from './lte.js';
import { neq } from './neq.js';
import { notExists } from './not_exists.js';
import { notIn } from './not_in.js';
import type { FieldType, OperatorDefinition } from './operator.js';

export type { FieldType, OperatorDefinition } from './operator.js';

/** Every operator of the condition language (SPEC §6), one file each. */
export const operators: Readonly<Record<Operator, OperatorDefinition>> = {
  eq,
  neq,
  gt,
  gte,
  lt,
  lte,
  in: inList,
  not_in: notIn,
  contains,
  exists,
  not_exists: notExists,
};

export const isOperator = (name: unknown): name is Operator => typeof name === 'string' && Object.hasOwn(operators, name);

/** The operators that apply to a field of this type, in the language's order (the policy editor's choices). */
export const operatorsFor = (type: FieldType): Operator[] => OPERATORS.filter((name) => operators[name].accepts.includes(type));
