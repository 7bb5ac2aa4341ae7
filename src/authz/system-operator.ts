// The built-in account the CLI acts as (see src/cli/operator.ts). It can never sign in and
// can never be invited, reset or re-activated: its e-mail is in the reserved `.invalid` TLD.
export const SYSTEM_OPERATOR_ID = '00000000-0000-4000-8000-000000000000';
export const SYSTEM_OPERATOR_EMAIL = 'system-operator@cybermonitor.invalid';
export const isReservedAccountEmail = (email: string): boolean => email.trim().toLowerCase().endsWith('.invalid');
