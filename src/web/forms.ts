// Forms described as data: each field knows its label key, type and current value, and shows
// its own error. A rejected form is rendered again with everything the person typed.
import type { FieldProblem } from '../errors.ts';
import { t, type Language } from '../i18n/index.ts';
import { html, type SafeHtml } from './html.ts';

export interface Field {
  name: string;
  labelKey: string;
  type?: 'text' | 'email' | 'password' | 'number' | 'date' | 'select' | 'hidden';
  required?: boolean;
  autocomplete?: string;
  options?: { value: string; label: string }[];
  hintKey?: string;
  inputmode?: 'numeric';
}

export interface FormOptions {
  lang: Language;
  action: string;
  csrfToken: string;
  fields: Field[];
  values?: Record<string, unknown>;
  problems?: FieldProblem[];
  /** Message above the form (the error summary), as an i18n key. */
  errorKey?: string;
  errorParams?: Record<string, string | number>;
  submitKey: string;
}

/** The languages a person can choose, each named in itself (never translated). */
export const languageOptions = [
  { value: 'nl', label: 'Nederlands' },
  { value: 'en', label: 'English' },
];

const asText = (value: unknown): string => (value === undefined || value === null ? '' : String(value));

function renderField(field: Field, options: FormOptions): SafeHtml {
  const { lang } = options;
  const value = field.type === 'password' ? '' : asText(options.values?.[field.name]);
  const problem = options.problems?.find((p) => p.path === field.name);
  const id = `field-${field.name}`;
  const describedBy = problem ? `${id}-error` : undefined;
  if (field.type === 'hidden') return html`<input type="hidden" name="${field.name}" value="${value}">`;
  const control =
    field.type === 'select'
      ? html`<select id="${id}" name="${field.name}" ${field.required ? html`required` : ''} aria-describedby="${describedBy ?? ''}">
          ${(field.options ?? []).map((o) => html`<option value="${o.value}" ${o.value === value ? html`selected` : ''}>${o.label}</option>`)}
        </select>`
      : html`<input id="${id}" name="${field.name}" type="${field.type ?? 'text'}" value="${value}"
          ${field.required ? html`required` : ''} ${field.autocomplete ? html`autocomplete="${field.autocomplete}"` : ''}
          ${field.inputmode ? html`inputmode="${field.inputmode}"` : ''}
          ${problem ? html`aria-invalid="true" aria-describedby="${describedBy ?? ''}"` : ''}>`;
  return html`<div class="field${problem ? ' has-error' : ''}">
    <label for="${id}">${t(lang, field.labelKey)}</label>
    ${control}
    ${field.hintKey ? html`<small>${t(lang, field.hintKey)}</small>` : ''}
    ${problem ? html`<p class="field-error" id="${describedBy ?? ''}">${t(lang, problem.messageKey, problem.params)}</p>` : ''}
  </div>`;
}

export function form(options: FormOptions): SafeHtml {
  const general = options.problems?.filter((p) => !options.fields.some((f) => f.name === p.path)) ?? [];
  return html`<form method="post" action="${options.action}" novalidate>
    ${options.errorKey ? html`<p class="error" role="alert">${t(options.lang, options.errorKey, options.errorParams)}</p>` : ''}
    ${general.map((p) => html`<p class="error">${p.path ? `${p.path}: ` : ''}${t(options.lang, p.messageKey, p.params)}</p>`)}
    <input type="hidden" name="_csrf" value="${options.csrfToken}">
    ${options.fields.map((field) => renderField(field, options))}
    <button type="submit">${t(options.lang, options.submitKey)}</button>
  </form>`;
}
