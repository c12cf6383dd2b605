import { ValidationError, ValidationPipe } from '@nestjs/common';
import { ErrorDetail } from '@vidivo/contracts';
import { AppError } from './app-error';

function flatten(errors: ValidationError[], parent = ''): ErrorDetail[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...flatten(error.children ?? [], field)];
  });
}

/**
 * Validates bodies, queries and message payloads against their DTO classes. Unknown fields are
 * refused, and nothing is converted implicitly: a number where a string belongs is an error.
 */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => AppError.validation('The request is not valid', flatten(errors)),
  });
}
