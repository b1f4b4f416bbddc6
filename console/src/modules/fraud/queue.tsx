// The anti-fraud centre's queue: what the detectors propose (a money mule, a SIM box), each
// with every reason, for an analyst to confirm onto the shared block-list — with a legal basis
// and an expiry — or dismiss with a note; beside it the latest transfers held or blocked.
import { useEffect, useState } from 'preact/hooks';
import type { PageProps } from '..';
import { api } from '../../api';
import { formatNumber, formatTime, t, tOr } from '../../i18n';
import { onLink } from '../../router';
import { BasisInputs, basisBody, emptyBasis } from './basis';
import { Reasons, tenge } from './reasons';
import type { FraudCase, Overview } from './types';

export function FraudQueue({ session }: PageProps) {
  const mayAct = session.role === 'analyst' || session.role === 'admin';
  const [status, setStatus] = useState('open');
  const [cases, setCases] = useState<FraudCase[] | null>(null);
  const [overview, setOverview] = useState<Overview | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    api<FraudCase[]>('GET', '/v1/fraud/cases?status=' + status)
      .then(setCases)
      .catch((e) => setError(e.message));
  }, [status]);
  useEffect(() => {
    api<Overview>('GET', '/v1/fraud/overview')
      .then(setOverview)
      .catch((e) => setError(e.message));
  }, []);

  const handled = (c: FraudCase) => setCases((all) => (all ?? []).map((x) => (x.id === c.id ? c : x)));

  return (
    <section>
      <div class="page-head">
        <h1>{t('fraud.title')}</h1>
        <a href="/fraud/listings" onClick={onLink('/fraud/listings')} data-testid="to-listings">
          {t('fraud.listings_title')}
        </a>
        <label class="toggle">
          {t('fraud.show')}
          <select value={status} onChange={(e) => setStatus(e.currentTarget.value)} data-testid="case-status">
            {['open', 'confirmed', 'dismissed'].map((s) => (
              <option value={s}>{tOr('cstatus.' + s, s)}</option>
            ))}
          </select>
        </label>
      </div>
      {error && <p class="error">{error}</p>}
      {overview && (
        <div class="cards" data-testid="decided">
          <div class="card">
            <b>{formatNumber(overview.decided.allow)}</b>
            <span>{t('fraud.allowed')}</span>
          </div>
          <div class="card">
            <b>{formatNumber(overview.decided.hold)}</b>
            <span>{t('fraud.held')}</span>
          </div>
          <div class="card">
            <b>{formatNumber(overview.decided.block)}</b>
            <span>{t('fraud.blocked')}</span>
          </div>
          <div class="card">
            <b>{formatNumber(overview.accounts)}</b>
            <span>{t('fraud.accounts')}</span>
          </div>
        </div>
      )}
      <h2>{t('fraud.cases')}</h2>
      {cases === null && !error && <p class="loading">{t('common.loading')}</p>}
      {cases?.length === 0 && <p class="muted">{t('fraud.no_cases')}</p>}
      {cases?.map((c) => (
        <CaseCard key={c.id} case={c} mayAct={mayAct} onHandled={handled} />
      ))}
      {overview && overview.held.length > 0 && (
        <>
          <h2>{t('fraud.held_transfers')}</h2>
          <table class="grid" data-testid="held">
            <thead>
              <tr>
                <th>{t('fraud.col_time')}</th>
                <th>{t('fraud.col_decision')}</th>
                <th>{t('fraud.col_transfer')}</th>
                <th class="num">{t('fraud.col_amount')}</th>
                <th class="num">{t('fraud.col_score')}</th>
                <th>{t('fraud.col_why')}</th>
              </tr>
            </thead>
            <tbody>
              {overview.held.map((h) => (
                <tr data-testid="held-row">
                  <td>{formatTime(h.at)}</td>
                  <td>
                    <span class={'badge ' + (h.decision === 'block' ? 'bad' : 'warn')}>{tOr('verdict_f.' + h.decision, h.decision)}</span>
                  </td>
                  <td class="mono">
                    {h.transaction.from.bank}/{h.transaction.from.account} → {h.transaction.to.bank}/{h.transaction.to.account}
                  </td>
                  <td class="num">{tenge(h.transaction.amount_tiyn)}</td>
                  <td class="num">{formatNumber(h.score, 2)}</td>
                  <td>{[...h.reasons].sort((a, b) => b.contribution - a.contribution)[0]?.detail ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      {overview && overview.shops.length > 0 && (
        <>
          <h2>{t('fraud.shops')}</h2>
          <table class="grid compact" data-testid="shops">
            <thead>
              <tr>
                <th>{t('fraud.shop')}</th>
                <th class="num">{t('fraud.direct')}</th>
                <th class="num">{t('fraud.one_hop')}</th>
                <th class="num">{t('fraud.payments')}</th>
              </tr>
            </thead>
            <tbody>
              {overview.shops.map((s) => (
                <tr>
                  <td>{s.shop}</td>
                  <td class="num">{tenge(s.direct_tiyn)}</td>
                  <td class="num">{tenge(s.one_hop_tiyn)}</td>
                  <td class="num">{s.payments}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}

function CaseCard({ case: c, mayAct, onHandled }: { case: FraudCase; mayAct: boolean; onHandled: (c: FraudCase) => void }) {
  const [note, setNote] = useState('');
  const [basis, setBasis] = useState(emptyBasis());
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function handle(decision: 'confirm' | 'dismiss') {
    if (!note.trim()) return setError(t('fraud.note_required'));
    if (decision === 'confirm' && (!basis.reference.trim() || !basis.authority.trim() || !basis.issued_on || !basis.expires))
      return setError(t('fraud.basis_required'));
    setBusy(true);
    try {
      const body = decision === 'confirm' ? { decision, note, ...basisBody(basis) } : { decision, note };
      const r = await api<{ case: FraudCase }>('POST', '/v1/fraud/cases/' + c.id, body);
      onHandled(r.case);
      setError(null);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div class="panel" data-testid="case" data-case-id={c.id} data-status={c.status}>
      <h3>
        {tOr('ckind.' + c.kind, c.kind)} · <span class="mono">{c.subject}</span> · {t('fraud.score', { score: formatNumber(c.detail.score, 2) })}
      </h3>
      <p class="muted">
        {t('fraud.opened', { at: formatTime(c.opened_at) })}
        {c.handled && ' · ' + t('fraud.handled_by', { by: c.handled.by, at: formatTime(c.handled.at) }) + ': ' + c.handled.note}
      </p>
      <Reasons reasons={c.detail.reasons ?? []} />
      {mayAct && c.status === 'open' && (
        <form class="form-grid" onSubmit={(e) => (e.preventDefault(), handle('confirm'))} noValidate>
          <label>
            {t('fraud.note')}
            <input name="note" value={note} onInput={(e) => setNote(e.currentTarget.value)} />
          </label>
          <BasisInputs value={basis} onChange={setBasis} />
          <div class="actions">
            <button type="submit" disabled={busy} data-testid="confirm-case">
              {t('fraud.confirm')}
            </button>
            <button type="button" class="secondary" disabled={busy} onClick={() => handle('dismiss')} data-testid="dismiss-case">
              {t('fraud.dismiss')}
            </button>
          </div>
        </form>
      )}
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {c.status !== 'open' && <span class={'badge ' + (c.status === 'confirmed' ? 'bad' : 'good')} data-testid="case-status-badge">{tOr('cstatus.' + c.status, c.status)}</span>}
    </div>
  );
}
