// The texts of the mails the product sends, from the catalogues in src/i18n/<lang>/mail.json.
import { t, type Language } from '../i18n/index.ts';
import type { MailMessage } from './mailer.ts';

export function invitationMail(input: { to: string; name: string; language: Language; link: string; inviterName: string }): MailMessage {
  const params = { name: input.name, inviterName: input.inviterName, link: input.link };
  return {
    to: input.to,
    subject: t(input.language, 'mail.invitation.subject', params),
    text: t(input.language, 'mail.invitation.body', params),
  };
}

export function passwordResetMail(input: { to: string; name: string; language: Language; link: string }): MailMessage {
  const params = { name: input.name, link: input.link };
  return {
    to: input.to,
    subject: t(input.language, 'mail.password_reset.subject', params),
    text: t(input.language, 'mail.password_reset.body', params),
  };
}
