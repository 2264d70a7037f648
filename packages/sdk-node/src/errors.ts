/**
 * What went wrong talking to Vigil. `code` is the server's own error code (docs/errors.md) when it
 * answered, or NETWORK_ERROR, TIMEOUT, BAD_RESPONSE or INVALID_ARGUMENT when it could not.
 */
export class VigilError extends Error {
  override readonly name = 'VigilError';
  readonly code: string;
  /** The HTTP status, or null when no answer came. */
  readonly status: number | null;
  /** The server's request id (`req_…`), to find the request in its log. */
  readonly requestId: string | null;

  constructor(code: string, message: string, status: number | null = null, requestId: string | null = null) {
    super(message);
    this.code = code;
    this.status = status;
    this.requestId = requestId;
  }
}
