import type { z } from 'zod';
import { AppError, type FieldProblem } from '../errors.ts';

type Issue = z.core.$ZodIssue;

/** One field problem per zod issue; messages that are not our `validation.` keys get a generic one. */
export function fieldProblemsFromIssues(issues: readonly Issue[]): FieldProblem[] {
  return issues.map((issue) => {
    const path = issue.path.join('.') || (issue.code === 'unrecognized_keys' ? issue.keys.join(',') : '');
    const key = issue.message.startsWith('validation.')
      ? issue.message
      : issue.code === 'unrecognized_keys'
        ? 'validation.unknown_field'
        : issue.code === 'invalid_type'
          ? 'validation.required'
          : 'validation.invalid';
    return issue.code === 'unrecognized_keys' ? { path, messageKey: key, params: { field: issue.keys.join(', ') } } : { path, messageKey: key };
  });
}

export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data;
  const fields = fieldProblemsFromIssues(result.error.issues);
  throw new AppError('validation', 'errors.validation', { fields });
}
