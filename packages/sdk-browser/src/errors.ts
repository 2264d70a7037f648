/** Why an evaluation could not be made. `status` is the HTTP status when the server answered at all. */
export type VigilErrorCode = 'NETWORK_ERROR' | 'INVALID_ARGUMENT' | 'BAD_RESPONSE' | (string & {});

export class VigilError extends Error {
  override readonly name = 'VigilError';
  readonly code: VigilErrorCode;
  readonly status: number | null;

  constructor(code: VigilErrorCode, message: string, status: number | null = null) {
    super(message);
    this.code = code;
    this.status = status;
  }
}
