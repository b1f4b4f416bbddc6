// What the anti-fraud API sends (crates/iz-api/src/routes/fraud.rs, iz-fraud, iz-store::fraud).

export interface Reason {
  indicator: string;
  value: number;
  weight: number;
  contribution: number;
  detail: string;
}

export interface AccountRef {
  bank: string;
  account: string;
}

export interface FraudCase {
  id: number;
  kind: 'dropper' | 'sim_box';
  subject: string;
  opened_at: string;
  detail: { score: number; reasons: Reason[]; account?: AccountRef; number?: string };
  status: 'open' | 'confirmed' | 'dismissed';
  handled?: { by: string; at: string; note: string; listing?: number };
}

export interface LegalBasis {
  kind: string;
  reference: string;
  authority: string;
  issued_on: string;
}

export type BlockTarget = { kind: 'account'; value: AccountRef } | { kind: 'number'; value: string };

export interface Listing {
  id: number;
  kind: 'block' | 'drug_shop';
  // block
  target?: BlockTarget;
  reason?: 'confirmed_dropper' | 'fraud_number' | 'sim_box';
  // drug shop
  shop?: string;
  accounts?: AccountRef[];
  numbers?: string[];
  qr_merchants?: string[];
  at: string;
  legal_basis: LegalBasis;
  expires_at: string;
  added_by: string;
  added_at: string;
  withdrawn?: { by: string; at: string; reason: string };
}

export interface Held {
  at: string;
  transaction: { id: string; at: string; from: AccountRef; to: AccountRef; amount_tiyn: number; channel: string };
  decision: 'hold' | 'block';
  score: number;
  reasons: Reason[];
}

export interface Overview {
  decided: { allow: number; hold: number; block: number };
  held: Held[];
  shops: { shop: string; direct_tiyn: number; one_hop_tiyn: number; payments: number }[];
  accounts: number;
}
