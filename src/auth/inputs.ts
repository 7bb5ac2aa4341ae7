// Input shapes of the sign-in pages, validated with zod; messages are keys under `validation.`.
import { z } from 'zod';
import { passwordSchema } from './passwords.ts';

const email = z.email({ message: 'validation.email' }).trim().toLowerCase().max(254, { message: 'validation.too_long' });
const name = z.string().trim().min(2, { message: 'validation.too_short' }).max(200, { message: 'validation.too_long' });

export const setupInput = z.strictObject({
  email,
  name,
  password: passwordSchema,
  language: z.enum(['nl', 'en']).default('nl'),
});
export type SetupInput = z.input<typeof setupInput>;

export const acceptInvitationInput = z.strictObject({
  password: passwordSchema,
  name: name.optional(),
});
export type AcceptInvitationInput = z.input<typeof acceptInvitationInput>;

export const newPasswordInput = z.strictObject({ password: passwordSchema });
