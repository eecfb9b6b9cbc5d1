import type { ReactNode } from 'react';
import { ChangePassword } from '../auth/password';
import { CheckInDesk } from '../check-in/check-in-desk';
import { MailingPage, NewMailing } from '../mailings/mailing-page';
import { MailingsList } from '../mailings/mailings-list';
import { EditionCreate } from '../editions/edition-create';
import { EditionView } from '../editions/edition-view';
import { EditionsList } from '../editions/editions-list';
import type { Catalog } from '../i18n/catalogs';
import { AuditTable } from '../overview/audit-table';
import { Overview } from '../overview/overview';
import { useOverview } from '../overview/use-overview';
import { VolunteerRolesView } from '../volunteers/roles';
import { VolunteerRosterView } from '../volunteers/roster';
import { Reminders } from '../reminders/reminders';
import { Subscribers } from '../subscribers/subscribers';
import { Users } from '../users/users';
import { BookingsView } from '../visits/bookings';
import { VisitSlotsView } from '../visits/slots';

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
  { pattern: '/volunteers', render: () => <VolunteerRolesView /> },
  { pattern: '/volunteers/roster', render: () => <VolunteerRosterView /> },
  { pattern: '/visits', render: () => <VisitSlotsView /> },
  { pattern: '/visits/bookings', render: () => <BookingsView /> },
  { pattern: '/editions', render: () => <EditionsList /> },
  { pattern: '/editions/new', render: () => <EditionCreate /> },
  { pattern: '/editions/:id', render: (params) => <EditionView key={params.id} id={params.id} /> },
  { pattern: '/password', render: () => <ChangePassword /> },
  { pattern: '/check-in', render: () => <CheckInDesk /> },
  { pattern: '/reminders', adminOnly: true, render: () => <Reminders /> },
  { pattern: '/subscribers', adminOnly: true, render: () => <Subscribers /> },
  { pattern: '/users', adminOnly: true, render: () => <Users /> },
  { pattern: '/audit', adminOnly: true, render: () => <AuditView /> },
  { pattern: '/mailings', adminOnly: true, render: () => <MailingsList /> },
  { pattern: '/mailings/new', adminOnly: true, render: () => <NewMailing /> },
  { pattern: '/mailings/:id', adminOnly: true, render: (params) => <MailingPage id={params.id} /> },
];

export const NAV: NavEntry[] = [
  { to: '/', label: (t) => t.overview },
  { to: '/editions', label: (t) => t.navEditions },
  { to: '/visits', label: (t) => t.navVisits },
  { to: '/check-in', label: (t) => t.navCheckIn },
  { to: '/volunteers', label: (t) => t.navVolunteers },
  { to: '/mailings', label: (t) => t.navMailings, adminOnly: true },
  { to: '/reminders', label: (t) => t.navReminders, adminOnly: true },
  { to: '/subscribers', label: (t) => t.navSubscribers, adminOnly: true },
  { to: '/users', label: (t) => t.navUsers, adminOnly: true },
  { to: '/audit', label: (t) => t.auditLog, adminOnly: true },
  { to: '/password', label: (t) => t.password },
];

function AuditView() {
  const overview = useOverview();
  // Times in the current edition's zone; the configured default zone until an edition exists.
  return <AuditTable limit={50} timeZone={overview.data?.edition.timeZone ?? 'Asia/Baku'} headingLevel={1} />;
}
