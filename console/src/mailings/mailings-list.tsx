import { formatInstant } from '../i18n/format';
import { useCatalog } from '../i18n/language';
import { useLanguage, useTexts } from '../i18n/texts';
import { Link } from '../shell/router';
import { useEditions } from '../ui/edition';
import { useConsoleZone } from './zone';
import { formatCount, MAILING_TEXTS } from './texts';
import { useMailings, type Mailing } from './use-mailings';
import './mailings.css';

/** Every mailing, newest first: what it is, to whom, where it stands. */
export function MailingsList() {
  const t = useCatalog();
  const m = useTexts(MAILING_TEXTS);
  const language = useLanguage();
  const mailings = useMailings();
  const editions = useEditions();
  const zone = useConsoleZone();
  const editionOf = (mailing: Mailing) =>
    editions.data?.items.find((edition) => edition.id === mailing.audience.ceremonyId);

  return (
    <section aria-labelledby="mailings-title">
      <h1 id="mailings-title">{m.title}</h1>
      <p>
        <Link to="/mailings/new" className="button-link">
          {m.newMailing}
        </Link>
      </p>
      {mailings.isPending ? (
        <p>{t.loading}</p>
      ) : mailings.isError ? (
        <p role="alert">{t.failed}</p>
      ) : mailings.data.items.length === 0 ? (
        <p>{m.none}</p>
      ) : (
        <div className="table-scroll">
          <table aria-labelledby="mailings-title">
            <thead>
              <tr>
                <th scope="col">{m.name}</th>
                <th scope="col">{m.audience}</th>
                <th scope="col">{m.state}</th>
                <th scope="col">{m.counts}</th>
                <th scope="col">{m.created}</th>
              </tr>
            </thead>
            <tbody>
              {mailings.data.items.map((mailing) => {
                const edition = editionOf(mailing);
                return (
                  <tr key={mailing.id}>
                    <th scope="row">
                      <Link to={`/mailings/${mailing.id}`}>{mailing.name}</Link>
                    </th>
                    <td>
                      {m[`kind_${mailing.audience.kind}`]}
                      {edition ? ` · ${edition.year}` : ''}
                    </td>
                    <td>{m[`mailing_${mailing.status}`]}</td>
                    <td>
                      {formatCount(mailing.counts.sent, language)} / {formatCount(mailing.counts.total, language)}
                    </td>
                    <td>{formatInstant(mailing.createdAt, zone(mailing), t)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
