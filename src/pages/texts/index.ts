import type { Locale } from '../../config/commemoration.config';
import { az } from './az';
import { en, PageTexts } from './en';
import { ru } from './ru';

export type { PageTexts };
export const PAGE_TEXTS: Record<Locale, PageTexts> = { az, en, ru };
