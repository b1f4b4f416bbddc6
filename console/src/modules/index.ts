// The console is a list of modules. A module names its pages (paths, as the server's page table
// in crates/iz-api/src/console.rs has them) and its place in the navigation; the shell shows the
// ones the signed-in role may open. A later capability (identity, supervision, anti-fraud) is a
// new folder here, one line below and one row in the server's page table.
import type { ComponentType } from 'preact';
import type { Key } from '../i18n';
import type { Session } from '../types';
import alerts from './alerts';
import dashboard from './dashboard';
import drones from './drones';
import fraud from './fraud';
import map from './map';
import oversight from './oversight';
import supervision from './supervision';
import watch from './watch';

export interface PageProps {
  params: Record<string, string>;
  session: Session;
}

export interface ConsoleModule {
  /** The page id the server lists in the session's `pages` when the role may open it. */
  id: string;
  nav: Key;
  /** Where the navigation link goes. */
  home: string;
  routes: { pattern: string; Page: ComponentType<PageProps> }[];
}

export const MODULES: ConsoleModule[] = [alerts, map, watch, supervision, dashboard, drones, fraud, oversight];
