import { BadRequestException, HttpException, ValidationPipe, ValidationPipeOptions } from '@nestjs/common';
import { getMetadataStorage, ValidationError } from 'class-validator';
import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata';
import { localizedEntryProblem } from '../localized-text';
import { errorText } from './catalog';
import {
  CONSTRAINT_CODES,
  CONSTRAINT_PARAMS,
  ErrorParams,
  FieldError,
  isErrorCode,
  ValidationCode,
} from './error-codes';

/** At most this many entries in `errors`: a huge bad body must not make a huge reply. */
const MAX_ENTRIES = 100;

/** The class whose rules a ValidationError was checked against (class-validator drops the target). */
const HOLDER = Symbol('holder');
type Annotated = ValidationError & { [HOLDER]?: unknown };

const PRECEDENCE = Object.keys(CONSTRAINT_CODES);

function path(parent: string, property: string, holderIsArray: boolean): string {
  if (holderIsArray && /^\d+$/.test(property)) return `${parent}[${property}]`;
  return parent ? `${parent}.${property}` : property;
}

function rulesOf(holder: unknown, property: string): ValidationMetadata[] {
  const target = holder && typeof holder === 'object' ? (holder as object).constructor : undefined;
  if (!target || target === Object || target === Array) return [];
  return getMetadataStorage()
    .getTargetValidationMetadatas(target as new () => object, '', true, false)
    .filter((rule) => rule.propertyName === property);
}

function isEmpty(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}

/** The indexes of a list the rule (declared with `each`) refuses, so each gets its own path. */
function failingIndexes(rule: ValidationMetadata, list: unknown[], property: string): number[] {
  if (!rule.constraintCls) return [];
  const validator = new (
    rule.constraintCls as new () => { validate(value: unknown, args: unknown): boolean | Promise<boolean> }
  )();
  const failing: number[] = [];
  list.forEach((item, index) => {
    const result = validator.validate(item, {
      value: item,
      constraints: rule.constraints ?? [],
      targetName: '',
      object: {},
      property,
    });
    if (result === false) failing.push(index);
  });
  return failing;
}

/** One entry per field: the rule that says most (a missing value is `required`, a wrong type before a length). */
function entriesOf(error: Annotated, field: string, out: FieldError[]): void {
  const names = Object.keys(error.constraints ?? {});
  if (names.length === 0) return;
  const rules = rulesOf(error[HOLDER], error.property);
  const ranked = [...names].sort((a, b) => rank(a) - rank(b));
  const name = ranked[0];
  const rule = rules.find((candidate) => candidate.name === name || candidate.type === name);
  const contextCode =
    (error.contexts?.[name] as { code?: unknown } | undefined)?.code ??
    (rule?.context as { code?: unknown } | undefined)?.code;
  let code: ValidationCode = isErrorCode(contextCode)
    ? (contextCode as ValidationCode)
    : (CONSTRAINT_CODES[name] ?? 'invalid');
  if (name !== 'whitelistValidation' && isEmpty(error.value) && code !== 'not_allowed') code = 'required';
  const params: ErrorParams = {};
  const paramName = CONSTRAINT_PARAMS[name];
  if (paramName && rule?.constraints && typeof rule.constraints[0] === 'number')
    params[paramName] = rule.constraints[0];
  // A per-language map: the entry at fault gets its own path (`title.ru`) and code.
  const entry =
    name === 'isLocalizedText' && typeof rule?.constraints?.[0] === 'number'
      ? localizedEntryProblem(error.value, rule.constraints[0])
      : null;
  if (entry) {
    const entryParams: ErrorParams = entry.max === undefined ? {} : { max: entry.max };
    out.push({
      field: `${field}.${entry.key}`,
      code: entry.code,
      message: errorText('en', entry.code, entryParams),
      ...(entry.max === undefined ? {} : { params: entryParams }),
    });
    return;
  }
  const indexes = rule?.each && Array.isArray(error.value) ? failingIndexes(rule, error.value, error.property) : [];
  const fields = indexes.length > 0 ? indexes.map((index) => `${field}[${index}]`) : [field];
  for (const one of fields) {
    out.push({
      field: one,
      code,
      message: errorText('en', code, params),
      ...(Object.keys(params).length > 0 ? { params } : {}),
    });
  }
}

function rank(name: string): number {
  const at = PRECEDENCE.indexOf(name);
  return at === -1 ? PRECEDENCE.length : at;
}

function collect(errors: Annotated[], parent: string, holderIsArray: boolean, out: FieldError[]): void {
  for (const error of errors) {
    if (out.length >= MAX_ENTRIES) return;
    const field = path(parent, error.property, holderIsArray);
    entriesOf(error, field, out);
    // NestJS strips the value of an error that has children; the children still know their holder.
    if (error.children?.length)
      collect(
        error.children,
        field,
        Array.isArray(error.value) || Array.isArray((error.children[0] as Annotated)[HOLDER]),
        out,
      );
  }
}

/** `errors` for class-validator's tree: `venue.name`, `roleIds[2]`, `items[0].title`. */
export function fieldErrors(errors: ValidationError[]): FieldError[] {
  const out: FieldError[] = [];
  collect(errors, '', false, out);
  return out.slice(0, MAX_ENTRIES);
}

function annotate(errors: ValidationError[], holder: unknown): void {
  for (const error of errors as Annotated[]) {
    Object.defineProperty(error, HOLDER, { value: holder, enumerable: false });
    if (error.children?.length) annotate(error.children, error.value);
  }
}

/**
 * NestJS's ValidationPipe, whose 400 also carries `errors: [{field, code, message}]`; `message`
 * stays NestJS's list of English strings.
 */
export class CodedValidationPipe extends ValidationPipe {
  constructor(options: ValidationPipeOptions) {
    super(options);
    const english = this.createExceptionFactory();
    this.exceptionFactory = (errors: ValidationError[]) => {
      const exception = english(errors) as HttpException;
      const response = exception.getResponse();
      const base =
        typeof response === 'object' ? response : { statusCode: 400, message: response, error: 'Bad Request' };
      return new BadRequestException({ ...base, errors: fieldErrors(errors) });
    };
  }

  protected override async validate(
    object: object,
    options?: Parameters<ValidationPipe['validate']>[1],
  ): Promise<ValidationError[]> {
    const errors = await super.validate(object, options);
    // Before NestJS strips the values: which class each error's property belongs to.
    annotate(errors, object);
    return errors;
  }
}
