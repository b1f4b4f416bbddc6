// One supervised person: the court decision, the restrictions drawn on the map, where they were
// last seen, the violations timeline (each acknowledged, then closed with a note) and the
// referrals to social help (the officer accepts or declines what Iz proposes).
import { useEffect, useMemo, useState } from 'preact/hooks';
import type { PageProps } from '..';
import { api } from '../../api';
import { formatDate, formatTime, t } from '../../i18n';
import * as label from '../../labels';
import { MapView, type MapMarker, type MapZone } from '../../ui/map';
import { curfew, metres, need, referralStatus, standing, violation, violationStatus } from './labels';
import type { PersonView, Referral, Violation, ZoneFeature } from './types';

const ZONE_TONES: Record<string, MapZone['tone']> = {
  home: 'allowed',
  region: 'allowed',
  exclusion: 'forbidden',
  banned_event: 'forbidden',
  curfew: 'curfew',
};

export function PersonPage({ params, session }: PageProps) {
  const id = params.id;
  // A prosecutor reads the file; the officer (or an admin) acts on it.
  const mayAct = session.role === 'probation_officer' || session.role === 'admin';
  const [view, setView] = useState<PersonView | null>(null);
  const [zones, setZones] = useState<ZoneFeature[]>([]);
  const [error, setError] = useState<string | null>(null);

  const load = () =>
    Promise.all([
      api<PersonView>('GET', '/v1/supervision/persons/' + id),
      api<{ features: ZoneFeature[] }>('GET', `/v1/supervision/persons/${id}/restrictions`),
    ])
      .then(([v, geo]) => {
        setView(v);
        setZones(geo.features);
        setError(null);
      })
      .catch((e) => setError(e.message));
  useEffect(() => {
    load();
  }, [id]);

  const mapZones = useMemo<MapZone[]>(
    () =>
      zones.map((f) => ({
        geometry: f.geometry,
        radius_m: f.properties.radius_m,
        tone: ZONE_TONES[f.properties.restriction] ?? 'forbidden',
        title: t(('zone.' + f.properties.restriction) as 'zone.home') + (f.properties.label ? ' · ' + f.properties.label : ''),
        detail: f.properties.restriction === 'curfew' ? curfew(f.properties as any) : f.properties.id,
      })),
    [zones],
  );
  const markers = useMemo<MapMarker[]>(() => {
    if (!view) return [];
    const out: MapMarker[] = view.violations.flatMap((v) => {
      const o = v.evidence.observation;
      if (!o) return [];
      return [{ lat: o.lat, lon: o.lon, title: t('sup.violation_n', { id: v.id }) + ' · ' + violation(v), detail: formatTime(o.at), tone: v.status === 'closed' ? 'low' : 'critical' }];
    });
    const last = view.status?.last;
    if (last) out.push({ lat: last.lat, lon: last.lon, title: t('sup.last_seen'), detail: formatTime(last.at) + ' · ± ' + metres(last.accuracy_m), tone: 'normal' });
    return out;
  }, [view]);

  if (error) return <p class="error">{error}</p>;
  if (!view) return <p class="loading">{t('common.loading')}</p>;
  const p = view.person;
  const now = standing(view.status);
  const replace = (v: Violation) => setView({ ...view, violations: view.violations.map((x) => (x.id === v.id ? v : x)) });
  const replaceReferral = (r: Referral) => setView({ ...view, referrals: view.referrals.map((x) => (x.id === r.id ? r : x)) });

  return (
    <section>
      <div class="page-head">
        <h1 data-testid="person-name">{p.name}</h1>
        <span class={'badge ' + now.tone} data-testid="standing">
          {now.text}
        </span>
      </div>
      <div class="cols">
        <div>
          <dl class="facts" data-testid="order">
            <dt>{t('field.iin')}</dt>
            <dd class="mono">{p.iin ?? '—'}</dd>
            <dt>{t('sup.col_officer')}</dt>
            <dd>{p.officer}</dd>
            <dt>{t('sup.col_region')}</dt>
            <dd>{label.region(p.region)}</dd>
            <dt>{t('sup.order')}</dt>
            <dd>
              {label.legalBasisKind(p.legal_basis.kind)} <span class="mono">{p.legal_basis.reference}</span> · {p.legal_basis.authority} ·{' '}
              {p.legal_basis.issued_on}
            </dd>
            <dt>{t('sup.term')}</dt>
            <dd>
              {formatDate(p.term.from)} – {formatDate(p.term.until)}
            </dd>
            <dt>{t('sup.devices')}</dt>
            <dd class="mono">{p.devices.join(', ') || '—'}</dd>
            <dt>{t('sup.curfews')}</dt>
            <dd data-testid="curfews">{(p.restrictions.curfews ?? []).map(curfew).join('; ') || '—'}</dd>
            <dt>{t('sup.needs')}</dt>
            <dd>{p.needs.map(need).join(', ') || '—'}</dd>
          </dl>
          <h2>{t('sup.referrals')}</h2>
          <ul class="referrals" data-testid="referrals">
            {view.referrals.map((r) => (
              <ReferralItem key={r.id} referral={r} mayAct={mayAct} onMoved={replaceReferral} />
            ))}
          </ul>
          {view.referrals.length === 0 && <p class="muted">{t('sup.no_referrals')}</p>}
        </div>
        <div>
          <MapView markers={markers} zones={mapZones} height={380} fit testId="restrictions-map" />
          <ul class="legend" data-testid="zone-legend">
            {mapZones.map((z) => (
              <li>
                <i class={'iz-zone-key ' + z.tone} />
                {z.title}
              </li>
            ))}
          </ul>
          <h2>{t('sup.violations')}</h2>
          <ol class="timeline" data-testid="violations">
            {view.violations.map((v) => (
              <ViolationItem key={v.id} violation={v} mayAct={mayAct} onHandled={replace} />
            ))}
          </ol>
          {view.violations.length === 0 && <p class="muted">{t('sup.no_violations')}</p>}
        </div>
      </div>
    </section>
  );
}

function ViolationItem({ violation: v, mayAct, onHandled }: { violation: Violation; mayAct: boolean; onHandled: (v: Violation) => void }) {
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const finding = v.evidence.finding;

  async function handle(status: 'acknowledged' | 'closed') {
    if (status === 'closed' && !note.trim()) return setError(t('sup.close_note_required'));
    setBusy(true);
    try {
      onHandled(await api<Violation>('POST', '/v1/supervision/violations/' + v.id, { status, note }));
      setNote('');
      setError(null);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <li data-testid="violation" data-violation-id={v.id} data-status={v.status}>
      <time>{formatTime(v.started_at)}</time> <strong>{violation(v)}</strong> ·{' '}
      <span class={'badge ' + (v.status === 'open' ? 'bad' : v.status === 'closed' ? 'good' : 'warn')} data-testid="violation-status">
        {violationStatus(v.status)}
      </span>
      <div class="muted">
        {t('sup.opened_at', { at: formatTime(v.opened_at) })} · {t('sup.observations', { n: v.observations })} ·{' '}
        {t('sup.local_time', { time: v.evidence.local_time })}
        {v.ended_at && ' · ' + t('sup.ended_at', { at: formatTime(v.ended_at) })}
      </div>
      {finding && <div data-testid="finding">{t('sup.finding', { distance: metres(finding.distance_m), label: finding.label || finding.subject })}</div>}
      {v.acknowledged && <div class="muted">{t('sup.acknowledged_by', { by: v.acknowledged.by, at: formatTime(v.acknowledged.at) })}</div>}
      {v.closed && (
        <div class="muted">
          {t('sup.closed_by', { by: v.closed.by, at: formatTime(v.closed.at) })}: {v.closed.note}
        </div>
      )}
      {mayAct && v.status !== 'closed' && (
        <form class="inline" onSubmit={(e) => (e.preventDefault(), handle('closed'))} noValidate>
          {v.status === 'open' && (
            <button type="button" class="secondary" disabled={busy} onClick={() => handle('acknowledged')} data-testid="acknowledge">
              {t('sup.acknowledge')}
            </button>
          )}
          <input name="note" placeholder={t('sup.note')} aria-label={t('sup.note')} value={note} onInput={(e) => setNote(e.currentTarget.value)} />
          <button type="submit" disabled={busy} data-testid="close-violation">
            {t('sup.close')}
          </button>
        </form>
      )}
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
    </li>
  );
}

function ReferralItem({ referral: r, mayAct, onMoved }: { referral: Referral; mayAct: boolean; onMoved: (r: Referral) => void }) {
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function move(status: 'sent' | 'declined') {
    if (status === 'declined' && !reason.trim()) return setError(t('sup.decline_required'));
    setBusy(true);
    try {
      onMoved(await api<Referral>('POST', '/v1/supervision/referrals/' + r.id, { status, note: status === 'declined' ? reason : '' }));
      setError(null);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  }

  const last = r.history[r.history.length - 1];
  return (
    <li data-testid="referral" data-referral-id={r.id} data-status={r.status}>
      <strong>{r.rule.service}</strong> · {r.rule.agency} ·{' '}
      <span class={'badge ' + (r.status === 'provided' ? 'good' : r.status === 'declined' ? 'bad' : '')} data-testid="referral-status">
        {referralStatus(r.status)}
      </span>
      <div class="muted">
        {need(r.rule.need)} · {t('sup.legal_source')}: {r.rule.legal_source}
      </div>
      {last && (
        <div class="muted">
          {formatTime(last.at)} · {last.by}
          {last.note ? ': ' + last.note : ''}
        </div>
      )}
      {mayAct && r.status === 'proposed' && (
        <form class="inline" onSubmit={(e) => (e.preventDefault(), move('declined'))} noValidate>
          <button type="button" disabled={busy} onClick={() => move('sent')} data-testid="accept-referral">
            {t('sup.accept')}
          </button>
          <input name="reason" placeholder={t('sup.decline_reason')} aria-label={t('sup.decline_reason')} value={reason} onInput={(e) => setReason(e.currentTarget.value)} />
          <button type="submit" class="secondary" disabled={busy} data-testid="decline-referral">
            {t('sup.decline')}
          </button>
        </form>
      )}
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
    </li>
  );
}
