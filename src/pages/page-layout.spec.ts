import { html, Html, layout } from './page-layout';

describe('page layout', () => {
  it('should escape every interpolated value unless it is marked as HTML', () => {
    const sut = html`<p title="${'"x"'}">${'<b>&</b>'}${new Html('<i>kept</i>')}${['<a>', 1]}${null}${false}</p>`;
    expect(sut.value).toBe('<p title="&quot;x&quot;">&lt;b&gt;&amp;&lt;/b&gt;<i>kept</i>&lt;a&gt;1</p>');
  });

  it('should name the language, mark the current page and language, and embed the texts so they cannot close the script element', () => {
    const sut = layout({
      locale: 'ru',
      page: 'visit',
      title: 'A </script> title',
      siteName: 'Site',
      body: html`<p>body</p>`,
      data: { ceremonyId: 'c-1', timeZone: 'Asia/Baku' },
    });
    expect(sut).toContain('<html lang="ru">');
    expect(sut).toContain(' data-page="visit" data-locale="ru" data-ceremony-id="c-1" data-time-zone="Asia/Baku"');
    expect(sut).toContain('<a href="/p/visit?lang=ru" aria-current="page">');
    expect(sut).toContain('href="/p/visit?lang=ru" aria-current="true">Русский</a>');
    expect(sut).toContain('<title>A &lt;/script&gt; title · Site</title>');
    const texts = /<script type="application\/json" id="page-texts">([\s\S]*?)<\/script>/.exec(sut)![1];
    expect(texts).not.toContain('<');
    expect((JSON.parse(texts) as { navVisit: string }).navVisit).toBe('Запись на посещение');
    expect(sut).not.toContain('noindex');
  });
});
