import { dictionary } from '@zxcvbn-ts/language-common';
import { registerDecorator, ValidationArguments, ValidationOptions } from 'class-validator';
import { passwordMinLength } from '../config/auth.config';

export const PASSWORD_MAX_LENGTH = 200;

let common: ReadonlySet<string> | undefined;

/** The list of common passwords (about 49,000, lower-cased), built on first use and kept. */
function commonPasswords(): ReadonlySet<string> {
  common ??= new Set(dictionary['passwords-common'].map((entry) => entry.toLowerCase()));
  return common;
}

/**
 * What is wrong with a new staff password, naming the field, or null when it is acceptable: the
 * one rule behind every path that sets a password (API, reset page, CLI).
 */
export function passwordProblem(field: string, value: unknown): string | null {
  if (typeof value !== 'string') return `${field} must be a string`;
  const minLength = passwordMinLength();
  if (value.length < minLength) return `${field} must be longer than or equal to ${minLength} characters`;
  if (value.length > PASSWORD_MAX_LENGTH)
    return `${field} must be shorter than or equal to ${PASSWORD_MAX_LENGTH} characters`;
  if (commonPasswords().has(value.toLowerCase())) return `${field} is too common; choose another`;
  return null;
}

/** A new staff password: long enough and not one of the common passwords (case-insensitive). */
export function IsAcceptablePassword(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) => {
    registerDecorator({
      name: 'isAcceptablePassword',
      target: target.constructor,
      propertyName: String(propertyName),
      options,
      validator: {
        validate: (value: unknown, args: ValidationArguments) => passwordProblem(args.property, value) === null,
        defaultMessage: (args: ValidationArguments) =>
          passwordProblem(args.property, args.value) ?? `${args.property} is not acceptable`,
      },
    });
  };
}
