import type { ReactNode } from 'react';
import { ChangePassword } from '../auth/password';
import { EditionCreate } from '../editions/edition-create';
import { EditionView } from '../editions/edition-view';
import { EditionsList } from '../editions/editions-list';
import type { Catalog } from '../i18n/catalogs';
import { AuditTable } from '../overview/audit-table';
import { Overview } from '../overview/overview';
import { useOverview } from '../overview/use-overview';

/** One page of the console: its path pattern (`/editions/:id`) and what it shows. */
export interface ConsoleRoute {
  pattern: string;
  /** Hidden from organizers; the API refuses them these routes anyway. */
  adminOnly?: boolean;
  render(params: Record<string, string>): ReactNode;
}

/** One entry of the main navigation; it is current for every path under `to`. */
export interface NavEntry {
  to: string;
  label(t: Catalog): string;
  adminOnly?: boolean;
}

export const ROUTES: ConsoleRoute[] = [
  { pattern: '/', render: () => <Overview /> },
  { pattern: '/editions', render: () => <EditionsList /> },
  { pattern: '/editions/new', render: () => <EditionCreate /> },
  { pattern: '/editions/:id', render: (params) => <EditionView key={params.id} id={params.id} /> },
  { pattern: '/password', render: () => <ChangePassword /> },
  { pattern: '/audit', adminOnly: true, render: () => <AuditView /> },
];

export const NAV: NavEntry[] = [
  { to: '/', label: (t) => t.overview },
  { to: '/editions', label: (t) => t.navEditions },
  { to: '/audit', label: (t) => t.auditLog, adminOnly: true },
  { to: '/password', label: (t) => t.password },
];

function AuditView() {
  const overview = useOverview();
  // Times in the current edition's zone; the configured default zone until an edition exists.
  return <AuditTable limit={50} timeZone={overview.data?.edition.timeZone ?? 'Asia/Baku'} headingLevel={1} />;
}
