// The closed set of error codes Vigil answers with, and the HTTP status of each. The map is total (the
// compiler checks every code has a status) and docs/errors.md lists them; a test fails when they drift.

export const errorStatus = {
  VALIDATION_ERROR: 400,
  MALFORMED_JSON: 400,
  BAD_REQUEST: 400,
  INVALID_IP: 400,
  INVALID_POLICY: 400,
  INVALID_LIST_VALUE: 400,
  INVALID_RISKS: 400,
  DESTINATION_NOT_ALLOWED: 400,
  MISSING_SECRET_KEY: 401,
  INVALID_SECRET_KEY: 401,
  UNKNOWN_CLIENT_ID: 401,
  ORIGIN_NOT_ALLOWED: 403,
  ENVIRONMENT_NOT_ALLOWED: 403,
  NOT_FOUND: 404,
  EVALUATION_NOT_FOUND: 404,
  POLICY_NOT_FOUND: 404,
  POLICY_ORDER_STALE: 409,
  LIST_NOT_FOUND: 404,
  CHALLENGE_NOT_FOUND: 404,
  CHALLENGE_LINK_INVALID: 403,
  CHALLENGE_CLOSED: 409,
  CHALLENGE_NO_DESTINATION: 409,
  CHALLENGE_NO_CODE: 409,
  CHALLENGE_CODE_EXPIRED: 410,
  CHALLENGE_CODE_INVALID: 422,
  CHALLENGE_RESEND_TOO_SOON: 429,
  CHALLENGE_DELIVERY_FAILED: 502,
  MAIL_SETTINGS_UNREADABLE: 409,
  NOT_LOGGED_IN: 401,
  OPERATOR_NOT_FOUND: 404,
  OPERATOR_EXISTS: 409,
  OPERATOR_IS_YOU: 409,
  CSRF_TOKEN_INVALID: 403,
  PROJECT_NOT_FOUND: 404,
  USER_NOT_FOUND: 404,
  EVALUATION_ALREADY_CONSUMED: 409,
  USER_ALREADY_EXISTS: 409,
  USER_MISMATCH: 409,
  LIST_ALREADY_EXISTS: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
  INTERNAL_ERROR: 500,
  UNAVAILABLE: 503,
} as const satisfies Record<string, number>;

export type ErrorCode = keyof typeof errorStatus;

/** An error Vigil expected and answers with its own code: a 4xx, never logged as a failure. */
export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'AppError';
    this.status = errorStatus[code];
  }
}

/** Every problem a validator found, each at its path, as one message: `conditions.any[1]: …; name: …`. */
export function problemsMessage(problems: readonly { path: string; message: string }[]): string {
  return problems.map((e) => (e.path ? `${e.path}: ${e.message}` : e.message)).join('; ');
}
