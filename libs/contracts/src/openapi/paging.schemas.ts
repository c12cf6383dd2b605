import { ApiProperty } from '@nestjs/swagger';
import { Page } from '../paging';

/** The paging fields of decision 1; each concrete page schema adds its typed `data`. */
export abstract class PageSchema implements Omit<Page<unknown>, 'data'> {
  @ApiProperty({ type: 'integer', minimum: 1, example: 1 })
  page!: number;

  @ApiProperty({ type: 'integer', minimum: 1, maximum: 100, example: 20 })
  per_page!: number;

  @ApiProperty({ type: 'integer', minimum: 0, example: 57 })
  total!: number;
}
