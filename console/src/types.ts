// The server's shapes, as the console reads them (see /v1/openapi.json).

export type Role = 'admin' | 'operator' | 'ingest' | 'probation_officer' | 'analyst' | 'prosecutor';

export interface Session {
  name: string;
  role: Role;
  region: string | null;
  csrf_token: string;
  expires_at: string;
  /** The console pages this role may open (the server's page table). */
  pages: string[];
}

export interface Place {
  region?: string;
  lat?: number;
  lon?: number;
  office?: string;
  address?: string;
}

export interface MatchedField {
  field: string;
  value: string;
  how: string;
}

export interface Review {
  decision: 'confirm' | 'reject';
  reason: string;
  by: string;
  at: string;
}

export interface Alert {
  id: number;
  kind: string;
  watch_id: number;
  status: 'open' | 'confirmed' | 'rejected';
  region: string;
  priority: 'low' | 'normal' | 'high' | 'critical';
  category: string;
  missing_person: boolean;
  source: string;
  matcher: string;
  score: number;
  matched: MatchedField[];
  first_seen: string;
  last_seen: string;
  count: number;
  last_event_id: string;
  last_event_kind: string;
  last_place?: Place | null;
  created_at: string;
  updated_at: string;
  review?: Review | null;
  /** Under the two-person rule: the first of two confirmations. */
  first_confirmation?: Review | null;
}

export interface Document {
  type: string;
  number: string;
  country?: string;
}

export interface Person {
  iin?: string | null;
  names?: string[];
  birth_date?: string | null;
  sex?: string | null;
  documents?: Document[];
}

export interface LegalBasis {
  kind: string;
  reference: string;
  authority: string;
  issued_on: string;
}

export interface WatchEntry {
  id: number;
  kind: string;
  person: Person;
  legal_basis: LegalBasis;
  expires_at: string;
  region: string;
  priority: Alert['priority'];
  category: string;
  status: { state: 'active' | 'withdrawn' | 'closed'; reason?: string; outcome?: string; by?: string; at?: string };
  created_at: string;
  created_by: string;
  vehicle?: { plate: string; description?: string } | null;
  link?: { watch_id?: number | null; case_reference?: string | null } | null;
  face_templates?: number;
}

export interface StoredHit {
  alert_id: number;
  watch_id: number;
  source: string;
  event_id: string;
  event_kind: string;
  occurred_at: string;
  received_at: string;
  event: { place?: Place } & Record<string, unknown>;
  hit: { matcher?: string; matched?: MatchedField[]; score?: number; explanation?: unknown } & Record<string, unknown>;
}

export interface AlertDetail {
  alert: Alert;
  entry: WatchEntry;
  hits: StoredHit[];
}

export interface AuditRecord {
  seq: number;
  at: string;
  actor: string;
  action: string;
  target: string;
  details: unknown;
  hash: string;
}

export interface ChainStatus {
  intact: boolean;
  records: number;
  first_bad: number | null;
  message: string;
}
