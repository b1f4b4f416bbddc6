// Drone incidents: sites where drones saw activity (excavation, heavy machinery) that no valid
// licence covers, on the map with the licensed areas, each closed by an inspector with a reason.
import { useEffect, useMemo, useState } from 'preact/hooks';
import type { ConsoleModule, PageProps } from '..';
import { api } from '../../api';
import { formatTime, t, tOr } from '../../i18n';
import { MapView, type MapMarker, type MapZone } from '../../ui/map';

type Verdict =
  | { verdict: 'low_confidence' | 'outside_any_licence' }
  | { verdict: 'licensed' | 'extends_outside_licence'; licence: string }
  | { verdict: 'licence_expired'; licence: string; valid_until: string };

interface Sighting {
  flight: string;
  at: string;
  class: string;
  confidence: number;
  image?: string;
  verdict: Verdict;
  lat: number;
  lon: number;
}

interface Incident {
  id: number;
  lat: number;
  lon: number;
  verdict: Verdict;
  first_seen: string;
  last_seen: string;
  flights: string[];
  sightings: Sighting[];
  closed: boolean;
}

interface LicenceFeature {
  geometry: { type: string; coordinates: any };
  properties: { id: string; holder: string; valid_from: string; valid_until: string };
}

export function verdict(v: Verdict): string {
  switch (v.verdict) {
    case 'licence_expired':
      return t('verdict.licence_expired', { licence: v.licence, date: v.valid_until });
    case 'licensed':
    case 'extends_outside_licence':
      return t(('verdict.' + v.verdict) as 'verdict.licensed', { licence: v.licence });
    default:
      return tOr('verdict.' + v.verdict, v.verdict);
  }
}

const today = () => new Date().toISOString().slice(0, 10);

function DronesPage({ session }: PageProps) {
  const mayClose = session.role === 'admin' || session.role === 'operator';
  const [incidents, setIncidents] = useState<Incident[] | null>(null);
  const [licences, setLicences] = useState<LicenceFeature[]>([]);
  const [showClosed, setShowClosed] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    Promise.all([
      api<Incident[]>('GET', '/v1/drones/incidents'),
      api<{ features: LicenceFeature[] }>('GET', '/v1/drones/licences'),
    ])
      .then(([i, l]) => {
        setIncidents(i);
        setLicences(l.features);
      })
      .catch((e) => setError(e.message));
  }, []);

  const shown = useMemo(() => (incidents ?? []).filter((i) => showClosed || !i.closed), [incidents, showClosed]);
  const zones = useMemo<MapZone[]>(
    () =>
      licences.map((l) => ({
        geometry: l.geometry,
        tone: l.properties.valid_until < today() ? 'lapsed' : 'allowed',
        title: t('drones.licence', { id: l.properties.id, holder: l.properties.holder }),
        detail: t('drones.valid', { from: l.properties.valid_from, until: l.properties.valid_until }),
      })),
    [licences],
  );
  const markers = useMemo<MapMarker[]>(
    () =>
      shown.map((i) => ({
        lat: i.lat,
        lon: i.lon,
        title: t('drones.incident', { id: i.id }) + ' · ' + verdict(i.verdict),
        detail: formatTime(i.last_seen) + ' · ' + t('drones.flights', { n: i.flights.length }),
        tone: i.closed ? 'low' : 'critical',
      })),
    [shown],
  );
  const replace = (next: Incident) => setIncidents((all) => (all ?? []).map((i) => (i.id === next.id ? next : i)));

  return (
    <section>
      <div class="page-head">
        <h1>{t('drones.title')}</h1>
        <span class="muted" data-testid="incident-count">
          {t('drones.count', { n: (incidents ?? []).filter((i) => !i.closed).length, licences: licences.length })}
        </span>
        <label class="toggle">
          <input type="checkbox" checked={showClosed} onChange={(e) => setShowClosed(e.currentTarget.checked)} data-testid="show-closed" />
          {t('drones.show_closed')}
        </label>
      </div>
      {error && <p class="error">{error}</p>}
      <MapView markers={markers} zones={zones} height={460} fit={markers.length + zones.length > 0} testId="drone-map" />
      {incidents === null && !error && <p class="loading">{t('common.loading')}</p>}
      <table class="grid">
        <thead>
          <tr>
            <th>{t('drones.col_id')}</th>
            <th>{t('drones.col_verdict')}</th>
            <th>{t('drones.col_what')}</th>
            <th>{t('drones.col_seen')}</th>
            <th class="num">{t('drones.col_flights')}</th>
            <th>{t('drones.col_status')}</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((i) => (
            <IncidentRow key={i.id} incident={i} mayClose={mayClose} onClosed={replace} />
          ))}
        </tbody>
      </table>
      {incidents && shown.length === 0 && <p class="muted">{t('drones.none')}</p>}
    </section>
  );
}

function IncidentRow({ incident: i, mayClose, onClosed }: { incident: Incident; mayClose: boolean; onClosed: (i: Incident) => void }) {
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const classes = [...new Set(i.sightings.map((s) => s.class))].map((c) => tOr('dclass.' + c, c)).join(', ');
  const best = Math.max(...i.sightings.map((s) => s.confidence), 0);
  const image = i.sightings.find((s) => s.image)?.image;

  async function close(e: Event) {
    e.preventDefault();
    if (!reason.trim()) return setError(t('drones.reason_required'));
    try {
      onClosed(await api<Incident>('POST', `/v1/drones/incidents/${i.id}/close`, { reason }));
    } catch (err) {
      setError((err as Error).message);
    }
  }

  return (
    <tr data-testid="incident-row" data-incident-id={i.id}>
      <td>{t('drones.incident', { id: i.id })}</td>
      <td>{verdict(i.verdict)}</td>
      <td>
        {classes} · {t('drones.confidence', { p: Math.round(best * 100) })}
        {image && <div class="muted mono">{image}</div>}
      </td>
      <td>
        {formatTime(i.first_seen)} – {formatTime(i.last_seen)}
      </td>
      <td class="num">{i.flights.length}</td>
      <td>
        {i.closed || !mayClose ? (
          <span class={'badge ' + (i.closed ? 'good' : 'bad')} data-testid="incident-status">
            {t(i.closed ? 'drones.closed' : 'drones.open')}
          </span>
        ) : (
          <form class="inline" onSubmit={close} noValidate>
            <input name="reason" placeholder={t('drones.close_reason')} aria-label={t('drones.close_reason')} value={reason} onInput={(e) => setReason(e.currentTarget.value)} />
            <button type="submit" data-testid="close-incident">
              {t('drones.close')}
            </button>
          </form>
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

const module: ConsoleModule = {
  id: 'drones',
  nav: 'nav.drones',
  home: '/drones',
  routes: [{ pattern: '/drones', Page: DronesPage }],
};
export default module;
