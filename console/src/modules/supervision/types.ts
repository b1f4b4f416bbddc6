// What the supervision API sends (crates/iz-api/src/routes/supervision.rs and the types it
// serialises from iz-store and iz-supervision).

export type ViolationKind =
  | { kind: 'left_home' }
  | { kind: 'curfew'; index: number }
  | { kind: 'exclusion'; zone: string }
  | { kind: 'banned_place'; category: string }
  | { kind: 'banned_event'; zone: string }
  | { kind: 'left_region' }
  | { kind: 'signal_loss'; device: string }
  | { kind: 'tamper'; device: string }
  | { kind: 'low_battery'; device: string };

export interface Observation {
  at: string;
  lat: number;
  lon: number;
  accuracy_m: number;
  source: 'device' | 'camera' | 'check_in';
  device?: string;
  battery?: number;
  tamper?: boolean;
  camera?: string;
  office?: string;
}

export interface Status {
  person: number;
  last?: Observation;
  violating: ViolationKind[];
  suspected: ViolationKind[];
  uncertain: ViolationKind[];
  pending: number;
}

export interface LegalBasis {
  kind: string;
  reference: string;
  authority: string;
  issued_on: string;
}

export interface Curfew {
  days: string[];
  start: string;
  end: string;
}

export interface Supervised {
  id: number;
  iin?: string;
  name: string;
  officer: string;
  region: string;
  legal_basis: LegalBasis;
  term: { from: string; until: string };
  devices: string[];
  restrictions: { curfews?: Curfew[]; banned_places?: { category: string; radius_m: number }[] };
  needs: string[];
  created_at: string;
  released_at?: string;
}

export interface CaseloadRow {
  person: Supervised;
  status?: Status;
  open_violations: number;
}

export interface Handled {
  by: string;
  at: string;
  note?: string;
}

export type Violation = ViolationKind & {
  id: number;
  person: number;
  started_at: string;
  opened_at: string;
  ended_at?: string;
  observations: number;
  evidence: {
    observation?: Observation;
    local_time: string;
    finding?: { subject: string; label: string; distance_m: number };
  };
  status: 'open' | 'acknowledged' | 'closed';
  acknowledged?: Handled;
  closed?: Handled;
};

export type ReferralStatus = 'proposed' | 'sent' | 'in_progress' | 'provided' | 'declined';

export interface Referral {
  id: number;
  person: number;
  rule: { id: string; need: string; agency: string; service: string; legal_source: string };
  status: ReferralStatus;
  history: { status: ReferralStatus; at: string; by: string; note?: string }[];
}

export interface PersonView {
  person: Supervised;
  status?: Status;
  violations: Violation[];
  referrals: Referral[];
}

export interface ZoneFeature {
  type: 'Feature';
  geometry: { type: string; coordinates: any };
  properties: { id: string; label?: string; restriction: string; radius_m?: number } & Record<string, any>;
}
