// Input shapes for everything a person can create or change, validated with zod. Unknown
// fields are rejected (strictObject) so a typo never silently loses data. Messages are i18n
// keys under `validation.`; the API and the pages translate them.
import { z } from 'zod';

const trimmed = (min: number, max: number) =>
  z.string().trim().min(min, { message: 'validation.too_short' }).max(max, { message: 'validation.too_long' });
const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, { message: 'validation.too_long' })
    .optional()
    .transform((value) => (value === '' || value === undefined ? null : value));
const optionalId = z
  .union([z.uuid({ message: 'validation.invalid_id' }), z.literal('')])
  .optional()
  .transform((value) => (value === '' || value === undefined ? null : value));

export const roleSchema = z.enum(
  ['platform_admin', 'coordinator', 'it_partner', 'student', 'director', 'contact_it', 'contact_hr', 'contact_web', 'insurer'],
  { message: 'validation.invalid_role' },
);

/** An empty form field means "not given", not "zero" or "invalid". */
const blankAsUndefined = <S extends z.ZodType>(schema: S) => z.preprocess((value) => (value === '' ? undefined : value), schema);
const count = (min: number, max: number) =>
  blankAsUndefined(
    z.coerce
      .number({ message: 'validation.number' })
      .int({ message: 'validation.number' })
      .min(min, { message: 'validation.too_small' })
      .max(max, { message: 'validation.too_large' })
      .optional(),
  );

export const programmeInput = z.strictObject({
  name: trimmed(2, 200),
  region: trimmed(2, 200),
  goalCompanies: count(0, 1_000_000),
  goalCertificates: count(0, 1_000_000),
  goalMonths: count(1, 120),
  startsOn: blankAsUndefined(z.iso.date({ message: 'validation.invalid_date' }).optional()),
});
export type ProgrammeInput = z.infer<typeof programmeInput>;

export const partnerInput = z.strictObject({
  programmeId: z.uuid({ message: 'validation.invalid_id' }),
  name: trimmed(2, 200),
  kvkNumber: blankAsUndefined(
    z
      .string()
      .trim()
      .regex(/^\d{8}$/, { message: 'validation.kvk_number' })
      .optional(),
  ),
});
export type PartnerInput = z.infer<typeof partnerInput>;

export const insurerInput = z.strictObject({ name: trimmed(2, 200) });

export const organisationInput = z.strictObject({
  programmeId: optionalId,
  name: trimmed(2, 200),
  kvkNumber: z.string().trim().regex(/^\d{8}$/, { message: 'validation.kvk_number' }),
  sector: optionalText(100),
  sizeClass: z
    .enum(['1-9', '10-49', '50-249', '250+', ''], { message: 'validation.size_class' })
    .optional()
    .transform((value) => (value === '' || value === undefined ? null : value)),
  street: optionalText(200),
  postalCode: z
    .string()
    .trim()
    .regex(/^(\d{4}\s?[A-Za-z]{2})?$/, { message: 'validation.postal_code' })
    .optional()
    .transform((value) => (value ? value.replace(/\s/g, '').toUpperCase() : null)),
  city: optionalText(100),
  itPartnerId: optionalId,
  studentUserId: optionalId,
});
export type OrganisationInput = z.infer<typeof organisationInput>;

export const organisationStatusInput = z.strictObject({
  status: z.enum(['aangemeld', 'aangesloten', 'gemonitord', 'voldoet', 'gecertificeerd'], { message: 'validation.status' }),
});

export const contactInput = z.strictObject({
  role: z.enum(['director', 'it', 'hr', 'web'], { message: 'validation.contact_role' }),
  name: trimmed(2, 200),
  email: z.email({ message: 'validation.email' }).trim().toLowerCase().max(254),
  phone: optionalText(40),
});
export type ContactInput = z.infer<typeof contactInput>;

export const domainInput = z.strictObject({
  domain: z.string().trim().min(1, { message: 'validation.required' }).max(300, { message: 'validation.too_long' }),
});

export const consentInput = z.strictObject({
  kind: z.enum(['insurer_data_sharing', 'public_certificate', 'active_scanning'], { message: 'validation.consent_kind' }),
  insurerId: optionalId,
});

export const invitationInput = z.strictObject({
  email: z.email({ message: 'validation.email' }).trim().toLowerCase().max(254),
  name: trimmed(2, 200),
  language: z.enum(['nl', 'en']).default('nl'),
  role: roleSchema,
  programmeId: optionalId,
  partnerId: optionalId,
  insurerId: optionalId,
  organisationId: optionalId,
});
export type InvitationInput = z.infer<typeof invitationInput>;

/** Parses or throws the product's validation error with one entry per field. */
export { parseInput } from './parse-input.ts';
