import { formatInstant } from '../i18n/format';
import { useCatalog } from '../i18n/language';
import { useLanguage, useTexts } from '../i18n/texts';
import { formatCount, MAILING_TEXTS } from '../mailings/texts';
import { isLive, useMailings } from '../mailings/use-mailings';
import { Link } from '../shell/router';

/** Mailings that are sending or scheduled, with their progress; refreshed every second while one is live (admins). */
export function MailingsInProgress({ timeZone }: { timeZone: string }) {
  const t = useCatalog();
  const m = useTexts(MAILING_TEXTS);
  const language = useLanguage();
  const mailings = useMailings();
  const live = (mailings.data?.items ?? []).filter(isLive);
  return (
    <section aria-labelledby="mailings-in-progress-title">
      <h2 id="mailings-in-progress-title">{t.mailingsInProgress}</h2>
      {mailings.isPending ? (
        <p>{t.loading}</p>
      ) : live.length === 0 ? (
        <p>{t.noMailingInProgress}</p>
      ) : (
        <ul className="plain">
          {live.map((mailing) => {
            const { total, sent, failed, skipped, cancelled } = mailing.counts;
            const done = sent + failed + skipped + cancelled;
            const percent = total === 0 ? 100 : Math.floor((done * 100) / total);
            const text = m.progressText(formatCount(done, language), formatCount(total, language), percent);
            return (
              <li key={mailing.id}>
                <Link to={`/mailings/${mailing.id}`}>{mailing.name}</Link>
                {mailing.status === 'scheduled' && mailing.sendAt && (
                  <span> · {m.scheduledFor(formatInstant(mailing.sendAt, timeZone, t))}</span>
                )}
                <br />
                <progress max={100} value={percent} aria-label={`${mailing.name}: ${text}`} /> {text}
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
