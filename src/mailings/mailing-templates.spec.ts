import Handlebars from 'handlebars';
import {
  CompiledContent,
  contentProblemEntries,
  contentProblems,
  templateProblems,
  TemplateValues,
} from './mailing-templates';

const values: TemplateValues = {
  name: 'Aysel <b>',
  ceremonyTitle: 'Khojaly Remembrance Day 2027',
  ceremonyDate: '26 February 2027',
  ceremonyStartTime: '26 February 2027, 10:00 (Asia/Baku, GMT+4)',
  venue: 'Khojaly Genocide Memorial',
  manageUrl: '',
  unsubscribeUrl: 'https://example.org/unsubscribe/abc',
  commemorationName: 'Khojaly Remembrance Day',
};

describe('mailing templates', () => {
  it('should name the locale, field and variable of an unknown variable', () => {
    expect(contentProblems({ ru: { subject: 'ok', text: 'Hello {{foo}}' } })).toEqual([
      'content.ru.text uses unknown variable {{foo}}',
    ]);
  });

  it('should give each problem its field and a code the console can show in its language', () => {
    expect(
      contentProblemEntries({
        en: { subject: '{{#each name}}x{{/each}}', text: 'Dear {{foo}}', html: '<p>{{{name}}}</p>' },
      }),
    ).toEqual([
      {
        field: 'content.en.subject',
        code: 'unknown_helper',
        english: 'content.en.subject uses unknown helper {{#each}}',
        params: { helper: '#each' },
      },
      {
        field: 'content.en.text',
        code: 'unknown_variable',
        english: 'content.en.text uses unknown variable {{foo}}',
        params: { variable: 'foo' },
      },
      {
        field: 'content.en.html',
        code: 'unescaped_variable',
        english: 'content.en.html uses unescaped interpolation {{{name}}}; use {{name}}',
        params: { variable: 'name' },
      },
    ]);
    expect(contentProblemEntries({})).toEqual([
      { field: 'content', code: 'required', english: 'content must have at least one of: az, en, ru' },
    ]);
  });

  it('should refuse helpers, partials and nested paths', () => {
    expect(templateProblems('{{lookup name 1}}', 'content.en.html')).toEqual([
      'content.en.html uses unknown helper {{lookup ...}}',
    ]);
    expect(templateProblems('{{> footer}}', 'content.en.text')[0]).toMatch(/unsupported template syntax/);
    expect(templateProblems('{{#each name}}x{{/each}}', 'content.en.text')).toEqual([
      'content.en.text uses unknown helper {{#each}}',
    ]);
    expect(templateProblems('{{name.length}}', 'content.en.text')).toEqual([
      'content.en.text uses unknown variable {{name.length}}',
    ]);
  });

  it('should accept known variables inside if blocks and report a syntax error', () => {
    expect(templateProblems('{{#if manageUrl}}Manage: {{manageUrl}}{{else}}-{{/if}}', 'x')).toEqual([]);
    expect(templateProblems('{{name', 'content.az.subject')[0]).toMatch(
      /^content\.az\.subject is not a valid template/,
    );
  });

  it('should require at least one language', () => {
    expect(contentProblems({})).toEqual(['content must have at least one of: az, en, ru']);
  });

  it('should escape HTML but not the text part, and pick the recipient language', () => {
    const sut = new CompiledContent(
      {
        en: { subject: 'For {{name}}', text: 'Dear {{name}}', html: '<p>Dear {{name}}</p>' },
        ru: { subject: 'Для {{name}}', text: 'Уважаемый(ая) {{name}}' },
      },
      'az',
    );
    const english = sut.render('en', values);
    expect(english).toEqual({
      locale: 'en',
      subject: 'For Aysel <b>',
      text: 'Dear Aysel <b>',
      html: '<p>Dear Aysel &lt;b&gt;</p>',
    });
    expect(sut.render('ru', values).subject).toBe('Для Aysel <b>');
    // No Azerbaijani version and az is the default: the first written language is used.
    expect(sut.render('az', values).locale).toBe('en');
  });
});

describe('rendering without the Handlebars runtime', () => {
  const templates = [
    'Dear {{name}},\n\n{{ceremonyTitle}} - {{ceremonyDate}}\r\n{{venue}}',
    '{{#if manageUrl}}\nManage: {{manageUrl}}\n{{else}}\nNo link\n{{/if}}\nBye',
    '  {{#unless name}}\n  Dear visitor\n  {{/unless}}\n{{#if name}}Dear {{name}}{{/if}}',
    '{{#if manageUrl}}a{{else if name}}b {{name}}{{else}}c{{/if}}',
    '{{~#if name~}}  [ {{~name~}} ]  {{~/if~}} | {{! a note }}{{!-- another --}}x',
    '<a href="{{unsubscribeUrl}}" title="{{name}}">{{commemorationName}}</a> {{{name}}} {{& venue}}',
    '{{^if manageUrl}}none{{/if}} {{#if venue}}{{else}}no venue{{/if}} {{ceremonyStartTime}}',
    '{{#each name}}x{{/each}}',
  ];
  const people: Array<Partial<TemplateValues>> = [
    { name: 'Aysel <b> & "Ə" \'x\' `y` =z', manageUrl: 'https://example.org/m?a=1&b=2' },
    { name: '', manageUrl: '', venue: '' },
  ];

  it('should give the same text and HTML as Handlebars for every accepted construct', () => {
    for (const source of templates)
      for (const person of people) {
        const all = { ...values, ...person };
        const content = { en: { subject: source, text: source, html: source } };
        const options = { knownHelpersOnly: false } as const;
        const text = Handlebars.create().compile(source, { ...options, noEscape: true })(all);
        const html = Handlebars.create().compile(source, options)(all);
        const sut = new CompiledContent(content, 'en').render('en', all);
        expect({ source, text: sut.text, html: sut.html }).toEqual({ source, text, html });
      }
  });
});

describe('unescaped interpolation', () => {
  it('should refuse {{{x}}} and {{& x}} in every part, naming the field and the construct', () => {
    expect(templateProblems('<p>Dear {{{name}}}</p>', 'content.en.html')).toEqual([
      'content.en.html uses unescaped interpolation {{{name}}}; use {{name}}',
    ]);
    expect(templateProblems('Dear {{& name}}', 'content.az.text')).toEqual([
      'content.az.text uses unescaped interpolation {{& name}}; use {{name}}',
    ]);
    expect(templateProblems('{{#if venue}}{{~{venue}~}}{{/if}}', 'content.ru.subject')).toEqual([
      'content.ru.subject uses unescaped interpolation {{~{venue}~}}; use {{venue}}',
    ]);
    expect(templateProblems('<a href="{{unsubscribeUrl}}">{{name}}</a>', 'content.en.html')).toEqual([]);
  });
});
