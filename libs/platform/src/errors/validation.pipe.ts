import { ArgumentMetadata, ValidationError, ValidationPipe } from '@nestjs/common';
import { ErrorDetail } from '@vidivo/contracts';
import { AppError } from './app-error';
import { hostileInputProblems } from './hostile-input';

/** The longest path parameter taken (decision 31): ours are ids (26), short codes (6) and usernames (30). */
export const MAX_PATH_PARAMETER_LENGTH = 100;

function flatten(errors: ValidationError[], parent = ''): ErrorDetail[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...flatten(error.children ?? [], field)];
  });
}

/** What no field may hold, whatever its DTO says: checked on every body, query, path parameter and message payload (decision 31). */
function edgeProblems(value: unknown, { type, data }: ArgumentMetadata): ErrorDetail[] {
  const problems = hostileInputProblems(value, data ?? '');
  if (type === 'param' && typeof value === 'string' && value.length > MAX_PATH_PARAMETER_LENGTH) {
    problems.push({ field: data ?? 'path', message: `${data ?? 'a path segment'} must be at most ${MAX_PATH_PARAMETER_LENGTH} characters` });
  }
  return problems;
}

/**
 * Refuses text no column, JSON field or validator can take (NUL, unpaired surrogates), bodies
 * nested past the limit and over-long path parameters before class-transformer and
 * class-validator see them: those recurse, and some validators throw on such text.
 */
class EdgeValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type !== 'custom') {
      const problems = edgeProblems(value, metadata);
      if (problems.length) throw AppError.validation('The request is not valid', problems);
    }
    return super.transform(value, metadata);
  }
}

/**
 * Validates bodies, queries, path parameters and message payloads: first against what no field
 * may hold (decision 31), then against their DTO classes. Unknown fields are refused, and nothing
 * is converted implicitly: a number where a string belongs is an error.
 */
export function createValidationPipe(): ValidationPipe {
  return new EdgeValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => AppError.validation('The request is not valid', flatten(errors)),
  });
}
