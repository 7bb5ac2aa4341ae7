// The one error type of the product. Everything the API or a page reports to a user is an
// AppError with a stable code; it becomes RFC 9457 problem+json at the API edge and a
// translated message on a page. Anything else that escapes is logged and shown as "internal".

export type ErrorCode =
  | 'validation'
  | 'not_found'
  | 'unauthenticated'
  | 'forbidden'
  | 'conflict'
  | 'csrf'
  | 'rate_limited'
  | 'locked'
  | 'target_refused'
  | 'invalid_token'
  | 'mfa_required'
  | 'internal';

const statusByCode: Record<ErrorCode, number> = {
  validation: 400,
  not_found: 404,
  unauthenticated: 401,
  forbidden: 403,
  conflict: 409,
  csrf: 403,
  rate_limited: 429,
  locked: 423,
  target_refused: 422,
  invalid_token: 400,
  mfa_required: 401,
  internal: 500,
};

export interface FieldProblem {
  path: string;
  messageKey: string;
  params?: Record<string, string | number>;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  /** i18n key under `errors.` that explains the problem to a person. */
  readonly messageKey: string;
  readonly params: Record<string, string | number>;
  readonly fields: FieldProblem[];

  constructor(
    code: ErrorCode,
    messageKey: string,
    options: { params?: Record<string, string | number>; fields?: FieldProblem[]; cause?: unknown } = {},
  ) {
    super(`${code}: ${messageKey}`, { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.status = statusByCode[code];
    this.messageKey = messageKey;
    this.params = options.params ?? {};
    this.fields = options.fields ?? [];
  }
}

export const notFound = (): AppError => new AppError('not_found', 'errors.not_found');
export const forbidden = (): AppError => new AppError('forbidden', 'errors.forbidden');
export const isAppError = (value: unknown): value is AppError => value instanceof AppError;
