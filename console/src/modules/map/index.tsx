// The map: open alerts where the person was last seen, regions shaded by how many. Later
// capabilities add their layers (zones, drone incidents) as further marker sets here.
import { useEffect, useMemo, useState } from 'preact/hooks';
import type { ConsoleModule, PageProps } from '..';
import { api, query } from '../../api';
import { formatTime, t } from '../../i18n';
import * as label from '../../labels';
import type { Alert } from '../../types';
import { MapView, type MapMarker } from '../../ui/map';

function MapPage(_: PageProps) {
  const [alerts, setAlerts] = useState<Alert[]>([]);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    api<Alert[]>('GET', '/v1/alerts' + query({ status: 'open', limit: 2000 }))
      .then(setAlerts)
      .catch((e) => setError(e.message));
  }, []);

  const markers = useMemo<MapMarker[]>(
    () =>
      alerts.flatMap((a) => {
        const at = label.coordinates(a.last_place, a.region);
        if (!at) return [];
        return [
          {
            lat: at[0],
            lon: at[1],
            title: t('alert.title', { id: a.id }) + ' · ' + label.category(a.category),
            detail: label.place(a.last_place) + ' · ' + formatTime(a.last_seen),
            href: '/alerts/' + a.id,
            tone: a.priority,
          },
        ];
      }),
    [alerts],
  );
  const shade = useMemo(() => {
    const counts: Record<string, number> = {};
    for (const a of alerts) counts[a.region] = (counts[a.region] ?? 0) + 1;
    return counts;
  }, [alerts]);

  return (
    <section>
      <div class="page-head">
        <h1>{t('map.title')}</h1>
        <span class="muted" data-testid="map-count">
          {t('map.open_alerts', { n: alerts.length })}
        </span>
      </div>
      {error && <p class="error">{error}</p>}
      <MapView markers={markers} shade={shade} height={620} />
    </section>
  );
}

const module: ConsoleModule = {
  id: 'map',
  nav: 'nav.map',
  home: '/map',
  routes: [{ pattern: '/map', Page: MapPage }],
};
export default module;
