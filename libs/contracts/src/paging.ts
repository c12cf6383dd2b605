import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

/** Query strings arrive as text; only plain decimal digits become numbers. */
const wholeNumber = () => Transform(({ value }: { value: unknown }) => (typeof value === 'string' && /^\d{1,9}$/.test(value) ? Number(value) : value));

export class PageQuery {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, default: 1 })
  @IsOptional()
  @wholeNumber()
  @IsInt({ message: 'page must be a whole number' })
  @Min(1)
  page?: number;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 100, default: 20 })
  @IsOptional()
  @wholeNumber()
  @IsInt({ message: 'per_page must be a whole number' })
  @Min(1)
  @Max(100)
  per_page?: number;
}

/** Paged lists (decision 1). */
export interface Page<T> {
  data: T[];
  page: number;
  per_page: number;
  total: number;
}

export const DEFAULT_PAGE = 1;
export const DEFAULT_PER_PAGE = 20;
