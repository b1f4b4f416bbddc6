// An interactive map on an offline base layer: Kazakhstan's twenty regions from the GeoJSON the
// server embeds (/geo/kz-adm1.geojson). No tiles, no network beyond our own server. Leaflet is
// loaded when the first map is shown, so pages without a map do not pay for it.
import { useEffect, useRef } from 'preact/hooks';
import { t } from '../i18n';
import * as label from '../labels';

export interface MapMarker {
  lat: number;
  lon: number;
  /** Plain text for the popup's first line. */
  title: string;
  detail?: string;
  href?: string;
  tone?: 'critical' | 'high' | 'normal' | 'low';
}

/** The source's region names, as ISO 3166-2:KZ codes. */
const ISO_BY_NAME: Record<string, string> = {
  'Abay Region': 'KZ-10', 'Akmola Region': 'KZ-11', 'Aktobe Region': 'KZ-15', 'Almaty Region': 'KZ-19',
  'Atyrau Region': 'KZ-23', 'West Kazakhstan Region': 'KZ-27', 'Jambyl Region': 'KZ-31', 'Jetisu Region': 'KZ-33',
  'Karaganda Region': 'KZ-35', 'Kostanay Region': 'KZ-39', 'Kyzylorda Region': 'KZ-43', 'Mangystau Region': 'KZ-47',
  'Pavlodar Region': 'KZ-55', 'North Kazakhstan Region': 'KZ-59', 'Turkistan Region': 'KZ-61', 'Ulytau Region': 'KZ-62',
  'East Kazakhstan Region': 'KZ-63', Astana: 'KZ-71', Almaty: 'KZ-75', Shymkent: 'KZ-79',
};

const TONES = { critical: '#b3261e', high: '#e8710a', normal: '#0b5394', low: '#5f6368' };

/** An area drawn on the map: a restriction, a licence. A GeoJSON Point with a radius is a circle. */
export interface MapZone {
  geometry: { type: string; coordinates: any };
  radius_m?: number;
  /** How it reads: an area to stay in, one not to enter, a curfew's place, one whose time has passed. */
  tone: 'allowed' | 'forbidden' | 'curfew' | 'lapsed';
  title: string;
  detail?: string;
}

const ZONE_STYLES = {
  allowed: { color: '#137333', fillColor: '#137333', fillOpacity: 0.08, weight: 2, dashArray: undefined },
  forbidden: { color: '#b3261e', fillColor: '#b3261e', fillOpacity: 0.25, weight: 2, dashArray: undefined },
  curfew: { color: '#6a1b9a', fillColor: '#6a1b9a', fillOpacity: 0.12, weight: 2, dashArray: '6 4' },
  lapsed: { color: '#8a6d00', fillColor: '#8a6d00', fillOpacity: 0.15, weight: 2, dashArray: '2 4' },
};

let leaflet: Promise<typeof import('leaflet')> | null = null;
let regions: Promise<any> | null = null;

function loadLeaflet() {
  leaflet ??= Promise.all([import('leaflet'), import('leaflet/dist/leaflet.css')]).then(([l]) => l.default ?? l);
  return leaflet;
}

function loadRegions() {
  regions ??= fetch('/geo/kz-adm1.geojson').then((r) => {
    if (!r.ok) throw new Error('base map: HTTP ' + r.status);
    return r.json();
  });
  return regions;
}

export function MapView(props: {
  markers: MapMarker[];
  zones?: MapZone[];
  /** Counts per region code, shading the regions (a choropleth). */
  shade?: Record<string, number>;
  height?: number;
  /** Zoom to the markers and zones (else the whole country). */
  fit?: boolean;
  testId?: string;
}) {
  const host = useRef<HTMLDivElement>(null);
  // The latest props, for the callbacks that finish after Leaflet and the base map load.
  const latest = useRef(props);
  latest.current = props;
  const state = useRef<{ map?: import('leaflet').Map; layer?: import('leaflet').LayerGroup; base?: import('leaflet').GeoJSON }>({});

  useEffect(() => {
    let cancelled = false;
    loadLeaflet().then((L) => {
      if (cancelled || !host.current) return;
      const map = L.map(host.current, { zoomSnap: 0.25, attributionControl: true, preferCanvas: false });
      map.attributionControl.setPrefix(false).addAttribution(t('map.attribution'));
      map.fitBounds([
        [40.5, 46.5],
        [55.5, 87.5],
      ]);
      state.current.map = map;
      state.current.layer = L.layerGroup().addTo(map);
      loadRegions()
        .then((geo) => {
          if (cancelled) return;
          state.current.base = L.geoJSON(geo, {
            style: () => ({ color: '#7a8794', weight: 1, fillColor: '#e9edf1', fillOpacity: 1, className: 'iz-region' }),
            onEachFeature: (f, layer) => {
              const code = ISO_BY_NAME[f.properties?.ADM1_EN];
              (layer as any).feature.properties.iso = code;
              layer.bindTooltip(() => label.region(code), { sticky: true });
            },
          }).addTo(map);
          state.current.base.bringToBack();
          shade();
        })
        .catch(() => host.current?.setAttribute('data-base-error', 'true'));
      draw();
    });
    return () => {
      cancelled = true;
      state.current.map?.remove();
      state.current = {};
    };
  }, []);

  function shade() {
    const base = state.current.base;
    if (!base) return;
    const counts = latest.current.shade ?? {};
    const max = Math.max(1, ...Object.values(counts));
    base.setStyle((f: any) => {
      const n = counts[f?.properties?.iso] ?? 0;
      const k = n / max;
      return { fillColor: n ? `rgba(179, 38, 30, ${0.12 + 0.5 * k})` : '#e9edf1', fillOpacity: 1, color: '#7a8794', weight: 1, className: 'iz-region' };
    });
  }

  function draw() {
    const { map, layer } = state.current;
    if (!map || !layer || !leaflet) return;
    leaflet.then((L) => {
      layer.clearLayers();
      const { markers, zones = [], fit } = latest.current;
      const bounds = L.latLngBounds([]);
      for (const z of zones) {
        const style = { ...ZONE_STYLES[z.tone], className: 'iz-zone iz-zone-' + z.tone };
        const shape =
          z.geometry.type === 'Point' && z.radius_m
            ? L.circle([z.geometry.coordinates[1], z.geometry.coordinates[0]], { ...style, radius: z.radius_m })
            : L.geoJSON({ type: 'Feature', properties: {}, geometry: z.geometry } as any, { style: () => style });
        shape.bindPopup(popup(z.title, z.detail));
        layer.addLayer(shape);
        const b = (shape as any).getBounds?.();
        if (b?.isValid()) bounds.extend(b);
      }
      for (const m of markers) {
        const marker = L.circleMarker([m.lat, m.lon], {
          radius: 7,
          className: 'iz-marker',
          color: '#fff',
          weight: 2,
          fillColor: TONES[m.tone ?? 'normal'],
          fillOpacity: 0.95,
        });
        marker.bindPopup(popup(m.title, m.detail, m.href));
        layer.addLayer(marker);
        bounds.extend([m.lat, m.lon]);
      }
      if (fit && bounds.isValid()) {
        map.fitBounds(bounds.pad(zones.length ? 0.15 : 0.5), { maxZoom: zones.length ? 16 : 8 });
      }
    });
  }

  useEffect(draw, [props.markers, props.zones]);
  useEffect(shade, [props.shade]);

  return <div class="map" ref={host} style={{ height: (props.height ?? 480) + 'px' }} data-testid={props.testId ?? 'map'} />;
}

/** A popup's content, built as text nodes (names come from records, never as markup). */
function popup(heading: string, detail?: string, href?: string): HTMLElement {
  const box = document.createElement('div');
  const title = document.createElement(href ? 'a' : 'strong');
  title.textContent = heading;
  if (href) (title as HTMLAnchorElement).href = href;
  box.append(title);
  if (detail) {
    const p = document.createElement('div');
    p.textContent = detail;
    box.append(p);
  }
  return box;
}
