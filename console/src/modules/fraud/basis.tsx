// The legal basis and expiry every listing needs, as form fields.
import { t } from '../../i18n';
import * as label from '../../labels';

export interface BasisFields {
  kind: string;
  reference: string;
  authority: string;
  issued_on: string;
  expires: string;
}

export const emptyBasis = (): BasisFields => ({ kind: 'court_decision', reference: '', authority: '', issued_on: '', expires: '' });

/** The request's `legal_basis` and `expires_at` (the end of the expiry day in Almaty). */
export function basisBody(b: BasisFields) {
  return {
    legal_basis: { kind: b.kind, reference: b.reference.trim(), authority: b.authority.trim(), issued_on: b.issued_on },
    expires_at: b.expires ? new Date(b.expires + 'T23:59:59+05:00').toISOString() : undefined,
  };
}

export function BasisInputs({ value, onChange }: { value: BasisFields; onChange: (b: BasisFields) => void }) {
  const set = (k: keyof BasisFields) => (e: Event) => onChange({ ...value, [k]: (e.currentTarget as HTMLInputElement).value });
  return (
    <>
      <label>
        {t('basis.kind')}
        <select name="basis_kind" value={value.kind} onChange={set('kind')}>
          {label.LEGAL_BASIS_KINDS.map((k) => (
            <option value={k}>{label.legalBasisKind(k)}</option>
          ))}
        </select>
      </label>
      <label>
        {t('basis.reference')}
        <input name="basis_reference" value={value.reference} onInput={set('reference')} />
      </label>
      <label>
        {t('basis.authority')}
        <input name="basis_authority" value={value.authority} onInput={set('authority')} />
      </label>
      <label>
        {t('basis.issued_on')}
        <input name="basis_issued_on" type="date" value={value.issued_on} onInput={set('issued_on')} />
      </label>
      <label>
        {t('watch.expires')}
        <input name="expires" type="date" value={value.expires} onInput={set('expires')} />
      </label>
    </>
  );
}
