// The shared block-lists and drug-shop listings: what is in force (banks and operators read
// the same list through the API), who listed it on what legal basis until when; a person adds
// an account or a number, or withdraws a listing with a reason.
import { useEffect, useState } from 'preact/hooks';
import type { PageProps } from '..';
import { api } from '../../api';
import { formatDate, formatTime, t, tOr } from '../../i18n';
import * as label from '../../labels';
import { BasisInputs, basisBody, emptyBasis } from './basis';
import type { Listing } from './types';

function subject(l: Listing): string {
  if (l.kind === 'drug_shop') {
    const parts = [...(l.accounts ?? []).map((a) => a.bank + '/' + a.account), ...(l.numbers ?? []), ...(l.qr_merchants ?? [])];
    return (l.shop ?? '') + ': ' + parts.join(', ');
  }
  const target = l.target!;
  return target.kind === 'account' ? target.value.bank + '/' + target.value.account : target.value;
}

export function ListingsPage({ session }: PageProps) {
  const mayAct = session.role === 'analyst' || session.role === 'admin';
  const [listings, setListings] = useState<Listing[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [reload, setReload] = useState(0);

  useEffect(() => {
    api<Listing[]>('GET', '/v1/fraud/listings?all=true')
      .then(setListings)
      .catch((e) => setError(e.message));
  }, [reload]);

  const now = new Date().toISOString();
  return (
    <section>
      <div class="page-head">
        <h1>{t('fraud.listings_title')}</h1>
        <span class="muted" data-testid="listing-count">
          {t('fraud.in_force', { n: (listings ?? []).filter((l) => !l.withdrawn && l.expires_at > now).length })}
        </span>
      </div>
      {error && <p class="error">{error}</p>}
      {mayAct && <AddListing onAdded={() => setReload((n) => n + 1)} />}
      <table class="grid">
        <thead>
          <tr>
            <th>{t('fraud.col_listed')}</th>
            <th>{t('fraud.col_why')}</th>
            <th>{t('fraud.col_basis')}</th>
            <th>{t('watch.expires')}</th>
            <th>{t('fraud.col_status')}</th>
          </tr>
        </thead>
        <tbody>
          {(listings ?? []).map((l) => (
            <ListingRow key={l.id} listing={l} mayAct={mayAct} expired={l.expires_at <= now} onChanged={() => setReload((n) => n + 1)} />
          ))}
        </tbody>
      </table>
      {listings?.length === 0 && <p class="muted">{t('fraud.no_listings')}</p>}
    </section>
  );
}

function ListingRow({ listing: l, mayAct, expired, onChanged }: { listing: Listing; mayAct: boolean; expired: boolean; onChanged: () => void }) {
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);

  async function withdraw(e: Event) {
    e.preventDefault();
    if (!reason.trim()) return setError(t('fraud.withdraw_required'));
    try {
      await api('POST', `/v1/fraud/listings/${l.id}/withdraw`, { reason });
      onChanged();
    } catch (err) {
      setError((err as Error).message);
    }
  }

  return (
    <tr data-testid="listing-row" data-listing-id={l.id}>
      <td class="mono">{subject(l)}</td>
      <td>{l.kind === 'drug_shop' ? t('fraud.drug_shop') : tOr('breason.' + l.reason, l.reason ?? '')}</td>
      <td>
        {label.legalBasisKind(l.legal_basis.kind)} <span class="mono">{l.legal_basis.reference}</span> · {l.legal_basis.authority}
        <div class="muted">{t('fraud.listed_by', { by: l.added_by, at: formatTime(l.added_at) })}</div>
      </td>
      <td>{formatDate(l.expires_at)}</td>
      <td>
        {l.withdrawn ? (
          <span class="badge" data-testid="listing-status">
            {t('fraud.withdrawn', { reason: l.withdrawn.reason })}
          </span>
        ) : expired ? (
          <span class="badge">{t('fraud.expired')}</span>
        ) : mayAct ? (
          <form class="inline" onSubmit={withdraw} noValidate>
            <input name="reason" placeholder={t('fraud.withdraw_reason')} aria-label={t('fraud.withdraw_reason')} value={reason} onInput={(e) => setReason(e.currentTarget.value)} />
            <button type="submit" class="secondary" data-testid="withdraw-listing">
              {t('fraud.withdraw')}
            </button>
          </form>
        ) : (
          <span class="badge good" data-testid="listing-status">
            {t('fraud.active')}
          </span>
        )}
        {error && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
      </td>
    </tr>
  );
}

function AddListing({ onAdded }: { onAdded: () => void }) {
  const [what, setWhat] = useState<'account' | 'number'>('account');
  const [bank, setBank] = useState('');
  const [account, setAccount] = useState('');
  const [number, setNumber] = useState('');
  const [basis, setBasis] = useState(emptyBasis());
  const [error, setError] = useState<string | null>(null);

  async function submit(e: Event) {
    e.preventDefault();
    const target = what === 'account' ? { kind: 'account', value: { bank: bank.trim(), account: account.trim() } } : { kind: 'number', value: number.trim() };
    if (what === 'account' ? !bank.trim() || !account.trim() : !number.trim()) return setError(t('fraud.target_required'));
    if (!basis.reference.trim() || !basis.authority.trim() || !basis.issued_on || !basis.expires) return setError(t('fraud.basis_required'));
    try {
      await api('POST', '/v1/fraud/listings', { kind: 'block', target, reason: what === 'account' ? 'confirmed_dropper' : 'fraud_number', ...basisBody(basis) });
      setError(null);
      setAccount('');
      setNumber('');
      onAdded();
    } catch (err) {
      setError((err as Error).message);
    }
  }

  return (
    <form class="form-grid panel" onSubmit={submit} noValidate data-testid="add-listing">
      <h2>{t('fraud.add_listing')}</h2>
      <label>
        {t('fraud.what')}
        <select name="what" value={what} onChange={(e) => setWhat(e.currentTarget.value as 'account' | 'number')}>
          <option value="account">{t('fraud.an_account')}</option>
          <option value="number">{t('fraud.a_number')}</option>
        </select>
      </label>
      {what === 'account' ? (
        <>
          <label>
            {t('fraud.bank')}
            <input name="bank" value={bank} onInput={(e) => setBank(e.currentTarget.value)} />
          </label>
          <label>
            {t('fraud.account')}
            <input name="account" value={account} onInput={(e) => setAccount(e.currentTarget.value)} />
          </label>
        </>
      ) : (
        <label>
          {t('fraud.number')}
          <input name="number" value={number} onInput={(e) => setNumber(e.currentTarget.value)} />
        </label>
      )}
      <BasisInputs value={basis} onChange={setBasis} />
      <div class="actions">
        <button type="submit" data-testid="add-listing-submit">
          {t('fraud.add')}
        </button>
      </div>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}
