import Handlebars from 'handlebars';
import { LOCALES, Locale } from '../config/commemoration.config';
import type { LocalizedContent, MailingContent } from './mailing.entity';

/** The variables a mailing may use; anything else is refused when the mailing is saved. */
export const TEMPLATE_VARIABLES = [
  'name',
  'ceremonyTitle',
  'ceremonyDate',
  'ceremonyStartTime',
  'venue',
  'manageUrl',
  'unsubscribeUrl',
  'commemorationName',
] as const;
export type TemplateVariable = (typeof TEMPLATE_VARIABLES)[number];
export type TemplateValues = Record<TemplateVariable, string>;

/** What each variable stands for, for the people who write mailings (the console lists them). */
export const TEMPLATE_VARIABLE_DESCRIPTIONS: Record<TemplateVariable, string> = {
  name: "The recipient's name (empty when unknown)",
  ceremonyTitle: "The edition's title in the recipient's language",
  ceremonyDate: 'The date of the ceremony',
  ceremonyStartTime: 'The date and start time, in the time zone of the edition',
  venue: 'The venue name and address',
  manageUrl: "The link to the recipient's own booking or sign-up (empty for subscribers)",
  unsubscribeUrl: "The recipient's one-click unsubscribe link",
  commemorationName: 'The name of the day of remembrance',
};

/** Block helpers allowed around a variable: {{#if manageUrl}}...{{/if}}. */
const BLOCK_HELPERS = new Set(['if', 'unless']);
const FIELDS = ['subject', 'text', 'html'] as const;

// An isolated environment: no helper or partial registered elsewhere can leak in.
const engine = Handlebars.create();

type Node = hbs.AST.Node;

function describePath(node: Node): string {
  const path = node as hbs.AST.PathExpression;
  return path.original ?? node.type;
}

/** The text of a node as written in the template, from its source location. */
function writtenAs(node: Node, source: string): string {
  const lines = source.split('\n');
  const { start, end } = node.loc;
  if (start.line === end.line) return lines[start.line - 1].slice(start.column, end.column);
  return [
    lines[start.line - 1].slice(start.column),
    ...lines.slice(start.line, end.line - 1),
    lines[end.line - 1].slice(0, end.column),
  ].join('\n');
}

/** One refused part of a template: the field, a stable code (docs/errors.md), the English sentence. */
export interface TemplateProblem {
  field: string;
  code: 'unknown_variable' | 'unescaped_variable' | 'unknown_helper' | 'invalid_template' | 'required';
  english: string;
  params?: Record<string, string>;
}

function problemsIn(node: Node, where: string, problems: TemplateProblem[], source: string): void {
  const refuse = (code: TemplateProblem['code'], english: string, params?: Record<string, string>) =>
    problems.push({ field: where, code, english: `${where} ${english}`, ...(params ? { params } : {}) });
  switch (node.type) {
    case 'Program':
      for (const statement of (node as hbs.AST.Program).body) problemsIn(statement, where, problems, source);
      return;
    case 'ContentStatement':
    case 'CommentStatement':
      return;
    case 'MustacheStatement': {
      const mustache = node as hbs.AST.MustacheStatement;
      const name = describePath(mustache.path);
      // {{{x}}} and {{& x}} write a value unescaped: a recipient's name could carry HTML into the mail.
      if (!mustache.escaped) {
        refuse('unescaped_variable', `uses unescaped interpolation ${writtenAs(node, source)}; use {{${name}}}`, {
          variable: name,
        });
      } else if (mustache.params.length > 0 || (mustache.hash?.pairs.length ?? 0) > 0) {
        refuse('unknown_helper', `uses unknown helper {{${name} ...}}`, { helper: name });
      } else if (mustache.path.type !== 'PathExpression' || !(TEMPLATE_VARIABLES as readonly string[]).includes(name)) {
        refuse('unknown_variable', `uses unknown variable {{${name}}}`, { variable: name });
      }
      return;
    }
    case 'BlockStatement': {
      const block = node as hbs.AST.BlockStatement;
      const helper = describePath(block.path);
      if (!BLOCK_HELPERS.has(helper)) {
        refuse('unknown_helper', `uses unknown helper {{#${helper}}}`, { helper: `#${helper}` });
        return;
      }
      const [condition] = block.params;
      if (
        block.params.length !== 1 ||
        condition.type !== 'PathExpression' ||
        !(TEMPLATE_VARIABLES as readonly string[]).includes(describePath(condition))
      ) {
        refuse('unknown_helper', `uses {{#${helper}}} with something other than one known variable`, {
          helper: `#${helper}`,
        });
      }
      if (block.program) problemsIn(block.program, where, problems, source);
      if (block.inverse) problemsIn(block.inverse, where, problems, source);
      return;
    }
    default:
      refuse('invalid_template', `uses unsupported template syntax (${node.type})`);
  }
}

/** Checks one template; each problem names its field (`content.ru.text`) and has a code. */
export function templateProblemEntries(source: string, where: string): TemplateProblem[] {
  let program: hbs.AST.Program;
  try {
    program = engine.parse(source);
  } catch (error) {
    return [
      {
        field: where,
        code: 'invalid_template',
        english: `${where} is not a valid template: ${(error as Error).message.split('\n')[0]}`,
      },
    ];
  }
  const problems: TemplateProblem[] = [];
  problemsIn(program, where, problems, source);
  return problems;
}

/** Checks one template; returns messages such as "content.ru.text uses unknown variable {{foo}}". */
export function templateProblems(source: string, where: string): string[] {
  return templateProblemEntries(source, where).map((problem) => problem.english);
}

/** Every problem of a mailing's content: at least one language, known variables and helpers only, always escaped. */
export function contentProblemEntries(content: MailingContent): TemplateProblem[] {
  const locales = LOCALES.filter((locale) => content[locale]);
  if (locales.length === 0)
    return [{ field: 'content', code: 'required', english: 'content must have at least one of: az, en, ru' }];
  return locales.flatMap((locale) =>
    FIELDS.flatMap((field) => {
      const source = content[locale]?.[field];
      return typeof source === 'string' ? templateProblemEntries(source, `content.${locale}.${field}`) : [];
    }),
  );
}

export function contentProblems(content: MailingContent): string[] {
  return contentProblemEntries(content).map((problem) => problem.english);
}

/** The language a recipient reads: theirs when the mailing has it, else the default, else the first written. */
export function contentLocale(content: MailingContent, preferred: string | null | undefined, fallback: Locale): Locale {
  if (preferred && (LOCALES as readonly string[]).includes(preferred) && content[preferred as Locale])
    return preferred as Locale;
  if (content[fallback]) return fallback;
  return LOCALES.find((locale) => content[locale]) ?? fallback;
}

export interface RenderedMessage {
  locale: Locale;
  subject: string;
  text: string;
  html?: string;
}

type Render = (values: TemplateValues) => string;

type Compiled = {
  subject: Render;
  text: Render;
  html?: Render;
};

type Part = string | ((values: TemplateValues) => string);

/**
 * A template of the accepted subset (variables, {{#if}}/{{#unless}} with {{else}}, comments)
 * turned into string concatenation from Handlebars' own parse, so the output is the same text
 * (whitespace control, standalone lines, escaping) without the runtime's per-call set-up, which
 * is most of a template's cost per recipient. Null for anything else: Handlebars renders it.
 */
function concatenation(program: hbs.AST.Program, escape: boolean): Render | null {
  const parts: Part[] = [];
  for (const node of program.body) {
    if (node.type === 'ContentStatement') parts.push((node as hbs.AST.ContentStatement).value);
    else if (node.type === 'CommentStatement') continue;
    else if (node.type === 'MustacheStatement') {
      const mustache = node as hbs.AST.MustacheStatement;
      const name = variableOf(mustache.path);
      if (!name || !mustache.escaped || mustache.params.length > 0 || mustache.hash) return null;
      parts.push(escape ? (values) => engine.Utils.escapeExpression(values[name]) : (values) => values[name] ?? '');
    } else if (node.type === 'BlockStatement') {
      const block = node as hbs.AST.BlockStatement;
      const helper = plainName(block.path);
      const condition = block.params.length === 1 ? variableOf(block.params[0]) : null;
      if ((helper !== 'if' && helper !== 'unless') || !condition || block.hash || block.program?.blockParams)
        return null;
      const empty: Render = () => '';
      const yes = block.program ? concatenation(block.program, escape) : empty;
      const no = block.inverse ? concatenation(block.inverse, escape) : empty;
      if (!yes || !no) return null;
      // Handlebars' `if` on a string: only the empty string is false.
      parts.push(
        helper === 'if'
          ? (values) => (values[condition] ? yes : no)(values)
          : (values) => (values[condition] ? no : yes)(values),
      );
    } else return null;
  }
  return (values) => {
    let out = '';
    for (const part of parts) out += typeof part === 'string' ? part : part(values);
    return out;
  };
}

/** The name a path gives when written plainly (`name`, not `this.name`, `../name` or `@name`). */
function plainName(node: hbs.AST.Node): string | null {
  if (node.type !== 'PathExpression') return null;
  const path = node as hbs.AST.PathExpression;
  if (path.data || path.depth !== 0 || path.parts.length !== 1 || path.parts[0] !== path.original) return null;
  return path.original;
}

function variableOf(node: hbs.AST.Node): TemplateVariable | null {
  const name = plainName(node);
  return name !== null && (TEMPLATE_VARIABLES as readonly string[]).includes(name) ? (name as TemplateVariable) : null;
}

/** Compiles one template: the concatenation when it is of the accepted subset, else Handlebars. */
function compileTemplate(source: string, escape: boolean): Render {
  let fast: Render | null;
  try {
    fast = concatenation(engine.parse(source), escape);
  } catch {
    // Not parsable: Handlebars reports it when rendered, as before.
    fast = null;
  }
  if (fast) return fast;
  const options = { knownHelpersOnly: true, knownHelpers: { if: true, unless: true } } as const;
  const template = engine.compile(source, escape ? { ...options, strict: false } : { ...options, noEscape: true });
  const runtime = { allowProtoPropertiesByDefault: false, allowProtoMethodsByDefault: false };
  return (values) => template(values, runtime);
}

/** A mailing's templates compiled once; render per recipient. HTML is escaped, text and subject are not. */
export class CompiledContent {
  private readonly compiled = new Map<Locale, Compiled>();

  constructor(
    private readonly content: MailingContent,
    private readonly fallback: Locale,
  ) {
    for (const locale of LOCALES) {
      const localized: LocalizedContent | undefined = content[locale];
      if (!localized) continue;
      this.compiled.set(locale, {
        subject: compileTemplate(localized.subject, false),
        text: compileTemplate(localized.text, false),
        html: localized.html ? compileTemplate(localized.html, true) : undefined,
      });
    }
  }

  localeFor(preferred: string | null | undefined): Locale {
    return contentLocale(this.content, preferred, this.fallback);
  }

  render(preferred: string | null | undefined, values: TemplateValues): RenderedMessage {
    const locale = this.localeFor(preferred);
    const templates = this.compiled.get(locale)!;
    return {
      locale,
      // A subject is one line whatever the template made of it.
      subject: templates
        .subject(values)
        .replace(/\s*[\r\n]+\s*/g, ' ')
        .trim(),
      text: templates.text(values),
      html: templates.html?.(values),
    };
  }
}
