import { useOverview } from '../overview/use-overview';
import { useEditions } from '../ui/edition';
import type { Mailing } from './use-mailings';

/** The zone a mailing's times are shown and scheduled in: its edition's, else the current edition's, else the service default. */
export function useConsoleZone(): (mailing?: Pick<Mailing, 'audience'>) => string {
  const editions = useEditions();
  const overview = useOverview();
  const fallback = overview.data?.edition.timeZone ?? 'Asia/Baku';
  return (mailing) =>
    editions.data?.items.find((edition) => edition.id === mailing?.audience.ceremonyId)?.timeZone ?? fallback;
}
