// One alert, with what the operator needs to decide: why it matched, who the entry is and on
// what legal basis until when, where and when the person was seen, and every earlier sighting
// of the same entry. Opening it is an audited read (the server records it).
import { useEffect, useMemo, useState } from 'preact/hooks';
import type { PageProps } from '..';
import { ApiFailure, api, query } from '../../api';
import { formatDate, formatTime, t } from '../../i18n';
import * as label from '../../labels';
import { onLink } from '../../router';
import type { Alert, AlertDetail } from '../../types';
import { MapView } from '../../ui/map';
import { Evidence } from './evidence';

export function AlertDetailPage({ params, session }: PageProps) {
  const id = Number(params.id);
  const [detail, setDetail] = useState<AlertDetail | null>(null);
  const [others, setOthers] = useState<Alert[]>([]);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    setDetail(null);
    api<AlertDetail>('GET', '/v1/alerts/' + id)
      .then((d) => {
        setDetail(d);
        return api<Alert[]>('GET', '/v1/alerts' + query({ watch_id: d.alert.watch_id, status: '', limit: 100 }));
      })
      .then((list) => setOthers(list.filter((a) => a.id !== id)))
      .catch((e) => setError(e instanceof ApiFailure && e.status === 403 ? t('common.forbidden_text') : e.message));
  }, [id]);

  const markers = useMemo(() => {
    if (!detail) return [];
    const a = detail.alert;
    const at = label.coordinates(a.last_place, a.region);
    return at ? [{ lat: at[0], lon: at[1], title: label.place(a.last_place), detail: formatTime(a.last_seen), tone: a.priority }] : [];
  }, [detail]);

  if (error)
    return (
      <section>
        <p class="error" data-testid="detail-error">{error}</p>
      </section>
    );
  if (!detail) return <p class="muted">{t('common.loading')}</p>;
  const { alert, entry, hits } = detail;
  const person = entry.person;
  const mayReview = (session.role === 'admin' || session.role === 'operator') && alert.status === 'open';

  return (
    <section class="detail" data-testid="alert-detail">
      <p>
        <a href="/alerts" onClick={onLink('/alerts')}>
          ← {t('alerts.back')}
        </a>
      </p>
      <div class="page-head">
        <h1>
          {t('alert.title', { id: alert.id })} · {entry.vehicle?.plate ?? (person.names ?? [])[0] ?? person.iin ?? ''}
        </h1>
        <span class={'prio ' + alert.priority}>{label.priority(alert.priority)}</span>
        <span class="badge" data-testid="alert-status">{label.status(alert.status)}</span>
      </div>
      <div class="cols">
        <div>
          <h2>{t('alert.why')}</h2>
          <table class="grid compact" data-testid="matched">
            <thead>
              <tr>
                <th>{t('alert.field')}</th>
                <th>{t('alert.value')}</th>
                <th>{t('alert.how')}</th>
              </tr>
            </thead>
            <tbody>
              {alert.matched.map((m) => (
                <tr>
                  <td>{label.field(m.field)}</td>
                  <td class="mono">{m.value}</td>
                  <td>{label.how(m.how)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {hits.length > 0 && <Evidence hit={hits[hits.length - 1]} />}
          <dl class="facts">
            <dt>{t('alert.score')}</dt>
            <dd data-testid="score">{alert.score.toFixed(2)}</dd>
            <dt>{t('alert.matcher')}</dt>
            <dd>{alert.matcher}</dd>
            <dt>{t('alerts.col_category')}</dt>
            <dd>{label.category(alert.category)}</dd>
            <dt>{t('alert.seen')}</dt>
            <dd>
              {formatTime(alert.first_seen)} – {formatTime(alert.last_seen)} ({t('alert.times', { n: alert.count })})
            </dd>
            <dt>{t('alerts.col_place')}</dt>
            <dd>{label.place(alert.last_place)}</dd>
            <dt>{t('alert.region')}</dt>
            <dd>{label.region(alert.region)}</dd>
          </dl>
          {entry.vehicle && (
            <>
              <h2>{t('alert.vehicle')}</h2>
              <dl class="facts" data-testid="vehicle">
                <dt>{t('evidence.plate')}</dt>
                <dd class="mono">{entry.vehicle.plate}</dd>
                <dt>{t('alert.vehicle_description')}</dt>
                <dd>{entry.vehicle.description ?? '—'}</dd>
                <dt>{t('alert.linked_to')}</dt>
                <dd>
                  {entry.link?.watch_id != null ? t('alert.linked_entry', { id: entry.link.watch_id }) : entry.link?.case_reference ?? '—'}
                </dd>
              </dl>
            </>
          )}
          <h2>{t('alert.person')}</h2>
          <dl class="facts">
            <dt>{t('field.names')}</dt>
            <dd>{(person.names ?? []).join('; ') || '—'}</dd>
            <dt>{t('field.iin')}</dt>
            <dd class="mono">{person.iin ?? '—'}</dd>
            <dt>{t('field.birth_date')}</dt>
            <dd>{person.birth_date ?? '—'}</dd>
            <dt>{t('field.documents')}</dt>
            <dd class="mono">
              {(person.documents ?? []).map((d) => label.documentType(d.type) + ' ' + d.number).join('; ') || '—'}
            </dd>
            <dt>{t('field.face_templates')}</dt>
            <dd>{entry.face_templates ?? 0}</dd>
          </dl>
          <h2>{t('alert.basis')}</h2>
          <dl class="facts" data-testid="legal-basis">
            <dt>{t('basis.kind')}</dt>
            <dd>{label.legalBasisKind(entry.legal_basis.kind)}</dd>
            <dt>{t('basis.reference')}</dt>
            <dd class="mono">{entry.legal_basis.reference}</dd>
            <dt>{t('basis.authority')}</dt>
            <dd>{entry.legal_basis.authority}</dd>
            <dt>{t('basis.issued_on')}</dt>
            <dd>{entry.legal_basis.issued_on}</dd>
            <dt>{t('watch.expires')}</dt>
            <dd data-testid="expires">{formatDate(entry.expires_at)}</dd>
            <dt>{t('watch.status')}</dt>
            <dd>{label.status(entry.status.state)}</dd>
          </dl>
        </div>
        <div>
          <MapView markers={markers} height={320} fit testId="detail-map" />
          <h2>{t('alert.timeline')}</h2>
          <ol class="timeline" data-testid="timeline">
            {hits.map((h) => (
              <li>
                <time>{formatTime(h.occurred_at)}</time> {label.eventKind(h.event_kind)} · {h.source} ·{' '}
                {label.place(h.event.place)}
              </li>
            ))}
            {others.map((o) => (
              <li class="other">
                <time>{formatTime(o.last_seen)}</time>{' '}
                <a href={'/alerts/' + o.id} onClick={onLink('/alerts/' + o.id)}>
                  {t('alert.title', { id: o.id })}
                </a>{' '}
                · {o.source} · {label.place(o.last_place)} · {label.status(o.status)}
              </li>
            ))}
          </ol>
          {alert.review && (
            <div class="review-done" data-testid="review">
              <h2>{t('alert.review')}</h2>
              <p>
                <strong>{label.status(alert.review.decision === 'confirm' ? 'confirmed' : 'rejected')}</strong> ·{' '}
                {alert.review.by} · {formatTime(alert.review.at)}
              </p>
              <p>{alert.review.reason}</p>
            </div>
          )}
          {alert.first_confirmation && alert.status === 'open' && (
            <p class="notice" data-testid="first-confirmation">
              {t('alert.first_confirmation', { by: alert.first_confirmation.by, at: formatTime(alert.first_confirmation.at) })}
            </p>
          )}
          {mayReview && <ReviewForm id={alert.id} onDone={(a) => setDetail({ ...detail, alert: a })} />}
        </div>
      </div>
    </section>
  );
}

function ReviewForm({ id, onDone }: { id: number; onDone: (a: Alert) => void }) {
  const [decision, setDecision] = useState<'confirm' | 'reject' | ''>('');
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: Event) {
    e.preventDefault();
    if (!decision) return setError(t('review.choose'));
    if (!reason.trim()) return setError(t('review.reason_required'));
    setBusy(true);
    try {
      onDone(await api<Alert>('POST', `/v1/alerts/${id}/review`, { decision, reason }));
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form class="review" onSubmit={submit} noValidate data-testid="review-form">
      <h2>{t('alert.review')}</h2>
      <div class="radios">
        <label>
          <input type="radio" name="decision" value="confirm" checked={decision === 'confirm'} onChange={() => setDecision('confirm')} />
          {t('review.confirm')}
        </label>
        <label>
          <input type="radio" name="decision" value="reject" checked={decision === 'reject'} onChange={() => setDecision('reject')} />
          {t('review.reject')}
        </label>
      </div>
      <label>
        {t('review.reason')}
        <textarea name="reason" rows={3} required value={reason} onInput={(e) => setReason(e.currentTarget.value)} />
      </label>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <button type="submit" disabled={busy} data-testid="review-submit">
        {t('review.submit')}
      </button>
    </form>
  );
}
