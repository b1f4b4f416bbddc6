// Names for the server's codes, in the current language.
import { t, tOr } from './i18n';
import type { Place } from './types';

export const REGION_CODES = [
  'KZ-10', 'KZ-11', 'KZ-15', 'KZ-19', 'KZ-23', 'KZ-27', 'KZ-31', 'KZ-33', 'KZ-35', 'KZ-39',
  'KZ-43', 'KZ-47', 'KZ-55', 'KZ-59', 'KZ-61', 'KZ-62', 'KZ-63', 'KZ-71', 'KZ-75', 'KZ-79',
];

export const CATEGORIES = ['evading_investigation', 'evading_court', 'evading_sentence', 'missing_person'];
export const PRIORITIES = ['critical', 'high', 'normal', 'low'];
export const LEGAL_BASIS_KINDS = ['warrant', 'court_decision', 'search_order'];
export const DOCUMENT_TYPES = [
  'id_card', 'passport', 'foreign_passport', 'residence_permit', 'stateless_certificate',
  'driving_licence', 'birth_certificate',
];

export const region = (code: string | null | undefined) => (code ? tOr('region.' + code, code) : '—');
export const category = (c: string) => tOr('category.' + c, c);
export const priority = (p: string) => tOr('priority.' + p, p);
export const status = (s: string) => tOr('status.' + s, s);
export const role = (r: string) => tOr('role.' + r, r);
export const legalBasisKind = (k: string) => tOr('basis.' + k, k);
export const documentType = (d: string) => tOr('doc.' + d, d);
export const field = (f: string) => tOr('field.' + f, f);
export const how = (h: string) => tOr('how.' + h.replace(/ /g, '_'), h);
export const eventKind = (k: string) => tOr('kind.' + k, k);

export function place(p: Place | null | undefined): string {
  if (!p) return '—';
  const parts = [p.office, p.address].filter(Boolean);
  if (p.region) parts.push(region(p.region));
  return parts.length ? parts.join(', ') : t('place.unknown');
}

/** Each region's administrative centre, for alerts whose place has no coordinates. */
export const REGION_CENTRES: Record<string, [number, number]> = {
  'KZ-10': [50.411, 80.227], 'KZ-11': [53.284, 69.377], 'KZ-15': [50.283, 57.167], 'KZ-19': [43.867, 77.067],
  'KZ-23': [47.106, 51.917], 'KZ-27': [51.233, 51.367], 'KZ-31': [42.9, 71.367], 'KZ-33': [45.017, 78.373],
  'KZ-35': [49.806, 73.085], 'KZ-39': [53.214, 63.624], 'KZ-43': [44.853, 65.509], 'KZ-47': [43.651, 51.197],
  'KZ-55': [52.287, 76.967], 'KZ-59': [54.875, 69.162], 'KZ-61': [43.297, 68.251], 'KZ-62': [47.783, 67.767],
  'KZ-63': [49.948, 82.628], 'KZ-71': [51.169, 71.449], 'KZ-75': [43.238, 76.946], 'KZ-79': [42.342, 69.59],
};

/** Where to draw a place: its coordinates, else its region's centre, else the alert's region's. */
export function coordinates(p: Place | null | undefined, fallbackRegion?: string): [number, number] | null {
  if (p?.lat != null && p?.lon != null) return [p.lat, p.lon];
  const code = p?.region ?? fallbackRegion;
  return code ? REGION_CENTRES[code] ?? null : null;
}

/** A server problem in the reader's language (by its stable code), the server's words as detail. */
export function problem(p: { code: string; message: string; field?: string }): string {
  const translated = tOr('problem.' + p.code, '');
  return translated ? `${translated}: ${p.message}` : p.message;
}
