import { formatDate } from '../i18n/format';
import { useCatalog } from '../i18n/language';
import { useTexts } from '../i18n/texts';
import { Link } from '../shell/router';
import { useEditions } from '../ui/edition';
import { EDITIONS_TEXTS } from './texts';
import './editions.css';

/** Every edition by year, drafts too, with the way to create the next one. */
export function EditionsList() {
  const t = useCatalog();
  const texts = useTexts(EDITIONS_TEXTS);
  const editions = useEditions();
  return (
    <section aria-labelledby="editions-title" className="editions">
      <h1 id="editions-title">{texts.editionsTitle}</h1>
      <p>
        <Link to="/editions/new" className="button">
          {texts.newEdition}
        </Link>
      </p>
      {editions.isPending ? (
        <p>{t.loading}</p>
      ) : editions.isError ? (
        <p role="alert">{t.failed}</p>
      ) : editions.data.items.length === 0 ? (
        <p>{texts.noEditions}</p>
      ) : (
        <table aria-labelledby="editions-title">
          <thead>
            <tr>
              <th scope="col">{texts.year}</th>
              <th scope="col">{texts.title}</th>
              <th scope="col">{texts.date}</th>
              <th scope="col">{texts.start}</th>
              <th scope="col">{texts.status}</th>
            </tr>
          </thead>
          <tbody>
            {editions.data.items.map((edition) => (
              <tr key={edition.id}>
                <th scope="row">
                  <Link to={`/editions/${edition.id}`}>{edition.year}</Link>
                </th>
                <td>{edition.title}</td>
                <td>{formatDate(edition.date, t)}</td>
                <td>
                  {edition.startTime} ({edition.timeZone})
                </td>
                <td>
                  <span className={`status status-${edition.status}`}>{texts[`status_${edition.status}`]}</span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
