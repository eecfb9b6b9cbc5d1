import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';

export const MAX_LIMIT = 500;
/** Far beyond any list here; a larger number would reach PostgreSQL as OFFSET 1e+30 (a syntax error, a 500). */
export const MAX_OFFSET = 10_000_000;

/** Decimal digits only: `1e30`, `0x10`, ` 5` and repeated parameters are not integers here (NaN fails @IsInt). */
const DecimalInteger = () =>
  Transform(({ value }: { value: unknown }) => {
    if (typeof value === 'number') return value;
    return typeof value === 'string' && /^-?\d{1,18}$/.test(value) ? Number(value) : Number.NaN;
  });

/** The one paging contract of every list: limit 1 to 500, offset 0 to 10,000,000, integers. */
export class ListQueryDto {
  @ApiPropertyOptional({ default: 50, minimum: 1, maximum: MAX_LIMIT, type: 'integer' })
  @IsOptional()
  @DecimalInteger()
  @IsInt()
  @Min(1)
  @Max(MAX_LIMIT)
  limit: number = 50;

  @ApiPropertyOptional({ default: 0, minimum: 0, maximum: MAX_OFFSET, type: 'integer' })
  @IsOptional()
  @DecimalInteger()
  @IsInt()
  @Min(0)
  @Max(MAX_OFFSET)
  offset: number = 0;
}

/** Staff lists that can also be downloaded as CSV. */
export class ExportableListQueryDto extends ListQueryDto {
  @ApiPropertyOptional({ enum: ['json', 'csv'], default: 'json' })
  @IsOptional()
  @IsIn(['json', 'csv'])
  format: 'json' | 'csv' = 'json';

  @ApiPropertyOptional({
    default: true,
    description:
      'CSV only: start with a UTF-8 byte order mark so spreadsheets read non-Latin letters; false leaves it out',
  })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  bom: boolean = true;
}

export interface Page<T> {
  items: T[];
  total: number;
}
